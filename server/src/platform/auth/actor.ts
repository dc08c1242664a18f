import type { OrgLevel, Permission } from '@civicgrid/core';

/** Who is making a request, resolved once per request from its session or token. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  roles: { code: string; name: string }[];
  permissions: ReadonlySet<Permission>;
  /** The org unit the user belongs to; null for department users and global admins. */
  orgUnitId: number | null;
  orgUnitName: string | null;
  orgLevel: OrgLevel | null;
  /** Materialised path of the jurisdiction (`/1/4/`); null = none (department users). */
  orgPath: string | null;
  departmentId: number | null;
  departmentName: string | null;
  /** True for accounts bound to no unit and no department: the whole installation. */
  global: boolean;
  via: 'session' | 'token';
  sessionId: string | null;
  csrfToken: string | null;
  /** A wall display's session (screen:display, opened from /screen): long-lived. */
  display: boolean;
  /**
   * The account holds screen:display: it may only read, whatever its session (a display
   * session or an ordinary one), and may not use or make access tokens.
   */
  readOnly: boolean;
  /** Set while the account may only fix its credentials. */
  restricted: 'mustChangePassword' | 'totpEnrolment' | null;
  totpEnabled: boolean;
  totpRequired: boolean;
}

/** Where a request came from, for the audit trail. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}
