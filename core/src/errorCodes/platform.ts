import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the platform module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const platformErrors = {
  /** The S3-compatible file store (FILES_S3_URL) did not take or give a file. */
  FILE_STORE_UNAVAILABLE: {
    status: 503,
    zh: '文件存储暂不可用，请稍后重试',
    en: 'The file store is unavailable; try again shortly',
  },
  /** The local file disk (DATA_DIR/files) has no room left (ENOSPC, EDQUOT): nothing was saved. */
  FILE_STORE_FULL: {
    status: 507,
    zh: '文件存储空间已满，文件未保存，请联系系统管理员',
    en: 'The file store is full; nothing was saved. Contact the administrator',
  },
  /** The database cannot be reached or is restarting (a 503 with Retry-After): retry shortly. */
  DATABASE_UNAVAILABLE: {
    status: 503,
    zh: '数据库暂时不可用，请稍后重试',
    en: 'The database is unavailable for the moment; try again shortly',
  },
  EXPORT_TOO_MANY_ROWS: {
    status: 400,
    zh: '一次最多导出 {max} 行，请缩小筛选范围',
    en: 'An export holds at most {max} rows; narrow the filters',
  },
  // The importer (platform/importer.ts): what is wrong with the file as a whole.
  IMPORT_NOT_SPREADSHEET: {
    status: 400,
    zh: '文件不是 Excel（.xlsx）或 CSV 表格',
    en: 'The file is neither an Excel (.xlsx) nor a CSV spreadsheet',
  },
  IMPORT_XLSX_TOO_LARGE: {
    status: 400,
    zh: 'Excel 文件解压后超过 {maxMb} MB，请拆分成几个文件分别导入',
    en: 'The Excel file unpacks to more than {maxMb} MB; split it into several files',
  },
  IMPORT_XLSX_CORRUPT: {
    status: 400,
    zh: 'Excel 文件已损坏或不是 .xlsx 格式',
    en: 'The Excel file is damaged or not in .xlsx format',
  },
  IMPORT_FILE_TOO_LARGE: {
    status: 413,
    zh: '文件不能超过 {maxMb} MB',
    en: 'The file may not exceed {maxMb} MB',
  },
  IMPORT_COLUMNS_MISSING: {
    status: 400,
    zh: '缺少列：{columns}（请使用导入模板）',
    en: 'Missing columns: {columns} (use the import template)',
  },
  // The scope service (platform/scope.ts): the area a view is narrowed to.
  AREA_REQUIRED: {
    status: 400,
    zh: '您的账号没有辖区，请选择区域',
    en: 'Your account has no jurisdiction; choose an area',
  },
  AREA_NOT_IN_JURISDICTION: {
    status: 400,
    zh: '区域不存在或不在您的辖区',
    en: 'The area does not exist or is outside your jurisdiction',
  },
  // The scope service (platform/scope.ts): a grid named in a request.
  GRID_NOT_IN_JURISDICTION: {
    status: 400,
    zh: '网格不存在或不在您的辖区',
    en: 'No such grid in your jurisdiction',
  },
  // Uploads (platform/files.ts readUpload): the request carries no file.
  UPLOAD_NOT_MULTIPART: {
    status: 400,
    zh: '请以 multipart/form-data 上传文件',
    en: 'Upload the file as multipart/form-data',
  },
  UPLOAD_FILE_MISSING: { status: 400, zh: '请选择文件', en: 'Choose a file' },
} as const satisfies Record<string, ErrorEntry>;
