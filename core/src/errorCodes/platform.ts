import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the platform module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const platformErrors = {
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
