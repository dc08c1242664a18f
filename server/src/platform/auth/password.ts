import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id (RFC 9106) with 64 MiB and 3 passes: ≈ 60–120 ms on the 2-core machines we
 * run on — inside the 50–300 ms the foundation issue asks for (`npm run bench` reports it).
 */
const options = { algorithm: 2 /* Argon2id */, memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** Spent on unknown usernames so that timing does not tell which part was wrong. */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('civicgrid-dummy-password');
  await verifyPassword(await dummyHash, password);
}
