import { type AuthAnswer, type CognitoClient, CognitoError, jwtClaims } from "./cognito";

/** A signed-in person's tokens. The ID and access tokens live in memory only; the refresh token is
 * also in sessionStorage so a reload of the tab stays signed in (gone when the tab closes). */
export interface UserTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the ID token expires (its `exp`). */
  expiresAt: number;
  email: string;
  sub: string;
}

export const REFRESH_STORAGE = "tradewind.refreshToken";
/** Refresh this long before the ID token expires (and before a request if it has less left). */
export const REFRESH_MARGIN_MS = 60_000;
/** After a network failure of a refresh while the token still holds, try again this much later. */
const RETRY_MS = 15_000;

export class SignedOut extends Error {
  constructor() {
    super("signed out");
    this.name = "SignedOut";
  }
}

export interface Clock {
  now: () => number;
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
};

/** Holds the tokens, refreshes them silently before they expire, and ends the session (listeners get
 * `null`) when a refresh is refused or the tokens expired unrefreshed. */
export class UserSession {
  private tokens: UserTokens | null = null;
  private timer: unknown = null;
  private refreshing: Promise<UserTokens | null> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly cognito: CognitoClient,
    private readonly storage: Storage = window.sessionStorage,
    private readonly clock: Clock = realClock,
  ) {}

  get current(): UserTokens | null {
    return this.tokens;
  }

  /** A refresh token of this tab is stored: `restore()` may sign in without a password. */
  get restorable(): boolean {
    return !!this.storage.getItem(REFRESH_STORAGE);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Take the tokens of a successful sign-in or refresh. */
  accept(answer: AuthAnswer): UserTokens {
    const result = answer.AuthenticationResult;
    const refreshToken = result?.RefreshToken ?? this.tokens?.refreshToken ?? this.storage.getItem(REFRESH_STORAGE);
    if (!result || !refreshToken) throw new CognitoError("NoTokens", "Cognito answered without tokens", 200);
    const claims = jwtClaims(result.IdToken);
    const exp = typeof claims.exp === "number" ? claims.exp * 1000 : this.clock.now() + result.ExpiresIn * 1000;
    this.tokens = {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      refreshToken,
      expiresAt: exp,
      email: String(claims.email ?? ""),
      sub: String(claims.sub ?? ""),
    };
    this.storage.setItem(REFRESH_STORAGE, refreshToken);
    this.schedule(exp - REFRESH_MARGIN_MS - this.clock.now());
    this.notify();
    return this.tokens;
  }

  /** Sign in again from the stored refresh token (a reload); false when there is none or it is refused. */
  async restore(): Promise<boolean> {
    if (this.tokens) return true;
    if (!this.restorable) return false;
    return !!(await this.refresh());
  }

  /** New ID and access tokens from the refresh token; a refusal (or expiry) ends the session. */
  refresh(): Promise<UserTokens | null> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<UserTokens | null> {
    const refreshToken = this.tokens?.refreshToken ?? this.storage.getItem(REFRESH_STORAGE);
    if (!refreshToken) return this.end();
    try {
      return this.accept(await this.cognito.refresh(refreshToken));
    } catch (error) {
      const stillValid = this.tokens && this.tokens.expiresAt > this.clock.now();
      if (!(error instanceof CognitoError) && stillValid) {
        this.schedule(RETRY_MS);
        return this.tokens;
      }
      return this.end();
    }
  }

  /** The ID token to send now, refreshed first when it has less than the margin left. */
  async idToken(): Promise<string> {
    let tokens = this.tokens;
    if (tokens && tokens.expiresAt - this.clock.now() < REFRESH_MARGIN_MS) tokens = await this.refresh();
    if (!tokens || tokens.expiresAt <= this.clock.now()) {
      if (this.tokens) this.end();
      throw new SignedOut();
    }
    return tokens.idToken;
  }

  /** Sign out: forget the tokens here, and ask Cognito to revoke this person's refresh tokens. */
  signOut(): void {
    const access = this.tokens?.accessToken;
    this.end();
    if (access) this.cognito.globalSignOut(access).catch(() => undefined);
  }

  private end(): null {
    this.tokens = null;
    this.storage.removeItem(REFRESH_STORAGE);
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.notify();
    return null;
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => void this.refresh(), Math.max(ms, 1_000));
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
