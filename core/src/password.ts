/** 等保 2.0 password complexity: at least 8 characters from 3 of the 4 classes. */
export function isStrongPassword(pw: string): boolean {
  if (pw.length < 8) return false;
  const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(pw)).length;
  return classes >= 3;
}
