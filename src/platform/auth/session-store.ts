/** Where sessions and their refresh tokens live: `auth_sessions` per store, `operator_sessions` for the platform. */
export interface StoredSession {
  id: string;
  principalType: string;
  principalId: string;
  revokedAt: Date | null;
  expiresAt: Date;
}

export interface StoredRefreshToken {
  id: string;
  usedAt: Date | null;
  session: StoredSession;
}

export interface NewSession {
  principalType: string;
  principalId: string;
  userAgent: string | null;
  ip: string | null;
  expiresAt: Date;
}

export interface SessionView {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

export interface SessionStore {
  createSession(input: NewSession): Promise<string>;
  addToken(sessionId: string, tokenHash: Buffer): Promise<void>;
  findToken(tokenHash: Buffer): Promise<StoredRefreshToken | null>;
  /** Marks a token used; false when another request used it first. */
  claimToken(tokenId: string): Promise<boolean>;
  /** Ends a session; false if it had already ended. */
  revoke(sessionId: string, reason: string): Promise<boolean>;
  touch(sessionId: string, expiresAt: Date): Promise<void>;
}
