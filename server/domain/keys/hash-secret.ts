// API keys and session ids are stored only as their SHA-256: a copy of the database does not let anyone sign in.
import crypto from 'node:crypto';

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}
