/** The few calls of Cognito's JSON API a person's sign-in needs (`X-Amz-Target:
 * AWSCognitoIdentityProviderService.<Operation>`, POSTed to `cognito.endpoint` of /config.json: in AWS
 * `https://cognito-idp.<region>.amazonaws.com/`, locally the stack's `/cognito/`). The web client has
 * no secret, so these calls are unsigned; USER_PASSWORD_AUTH sends the password over TLS to Cognito
 * only. A few lines of fetch instead of an SDK: the AWS SDK's Cognito client or Amplify would weigh
 * more than the rest of the first load (docs/accounts.md, "The web app"). */

export interface CognitoConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  endpoint: string;
}

export interface CognitoTokens {
  IdToken: string;
  AccessToken: string;
  /** Absent from a refresh's answer: the refresh token stays the same. */
  RefreshToken?: string;
  ExpiresIn: number;
}

/** An answer to InitiateAuth / RespondToAuthChallenge: tokens, or the next challenge. */
export interface AuthAnswer {
  AuthenticationResult?: CognitoTokens;
  ChallengeName?: string;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
}

/** Cognito's refusal: `type` is its `__type` (`NotAuthorizedException`, `CodeMismatchException`...). */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "CognitoError";
  }
}

export class CognitoClient {
  constructor(
    readonly config: CognitoConfig,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  private async call<T>(operation: string, body: Record<string, unknown>): Promise<T> {
    const response = await this.fetchImpl(this.config.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AWSCognitoIdentityProviderService.${operation}` },
      body: JSON.stringify(body),
      cache: "no-store",
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!response.ok) {
      // `__type` may be prefixed with the service (`com.amazonaws...#NotAuthorizedException`).
      const type = String(parsed.__type ?? parsed.code ?? "UnknownError")
        .split("#")
        .pop()!;
      throw new CognitoError(type, String(parsed.message ?? parsed.Message ?? `${operation} answered ${response.status}`), response.status);
    }
    return parsed as T;
  }

  signIn(email: string, password: string): Promise<AuthAnswer> {
    return this.call("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: this.config.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
  }

  /** Answer a challenge (`NEW_PASSWORD_REQUIRED` with NEW_PASSWORD, `SOFTWARE_TOKEN_MFA` with SOFTWARE_TOKEN_MFA_CODE). */
  respond(challenge: string, session: string, responses: Record<string, string>): Promise<AuthAnswer> {
    return this.call("RespondToAuthChallenge", { ChallengeName: challenge, ClientId: this.config.clientId, Session: session, ChallengeResponses: responses });
  }

  refresh(refreshToken: string): Promise<AuthAnswer> {
    return this.call("InitiateAuth", { AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: this.config.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } });
  }

  forgotPassword(email: string): Promise<unknown> {
    return this.call("ForgotPassword", { ClientId: this.config.clientId, Username: email });
  }

  confirmForgotPassword(email: string, code: string, password: string): Promise<unknown> {
    return this.call("ConfirmForgotPassword", { ClientId: this.config.clientId, Username: email, ConfirmationCode: code, Password: password });
  }

  /** The signed-in person's attributes and MFA methods (`UserMFASettingList` has `SOFTWARE_TOKEN_MFA` once TOTP is on). */
  getUser(accessToken: string): Promise<{ UserMFASettingList?: string[]; PreferredMfaSetting?: string }> {
    return this.call("GetUser", { AccessToken: accessToken });
  }

  /** Start TOTP setup: a new secret for the person's authenticator app. */
  associateSoftwareToken(accessToken: string): Promise<{ SecretCode: string }> {
    return this.call("AssociateSoftwareToken", { AccessToken: accessToken });
  }

  /** Prove the authenticator holds the secret with one of its codes (`CodeMismatchException` if not). */
  verifySoftwareToken(accessToken: string, code: string, deviceName: string): Promise<{ Status: string }> {
    return this.call("VerifySoftwareToken", { AccessToken: accessToken, UserCode: code, FriendlyDeviceName: deviceName });
  }

  /** Ask (or stop asking) for an authenticator code at each sign-in. */
  setTotp(accessToken: string, enabled: boolean): Promise<unknown> {
    return this.call("SetUserMFAPreference", { AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: enabled, PreferredMfa: enabled } });
  }

  /** Sign out everywhere: the refresh tokens of this person stop working. */
  globalSignOut(accessToken: string): Promise<unknown> {
    return this.call("GlobalSignOut", { AccessToken: accessToken });
  }
}

/** The claims of a JWT (no verification: the API verifies; the app only reads `exp`, `email`, `sub`). */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split(".")[1] ?? "";
  const base64 = part
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}
