/** One stable error code: its HTTP status and what a user reads, `{param}` filled in. */
export interface ErrorEntry {
  status: number;
  zh: string;
  en: string;
}
