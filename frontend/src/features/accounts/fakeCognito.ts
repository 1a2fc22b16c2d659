/** A fake Cognito JSON endpoint for tests: the operations the web app calls, with users kept in
 * memory, real-shaped JWTs (unsigned: the app never verifies them, the API does) and refresh tokens
 * that can be revoked. Errors answer as Cognito does: HTTP 400 `{"__type", "message"}`. */
import type { CognitoConfig } from "./cognito";

export const FAKE_COGNITO: CognitoConfig = { region: "us-east-1", userPoolId: "us-east-1_test", clientId: "web", endpoint: "http://cognito.test/" };

interface FakeUser {
  password: string;
  sub: string;
  mustChangePassword?: boolean;
  mfaCode?: string;
  /** TOTP setup: the secret handed out, and whether a code proved the app holds it. */
  totp?: { secret: string; verified: boolean };
}

/** The one code the fake's authenticator "shows" for any secret. */
export const FAKE_TOTP_CODE = "246810";

const base64url = (value: object) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export function fakeJwt(claims: Record<string, unknown>): string {
  return `${base64url({ alg: "RS256", kid: "k" })}.${base64url(claims)}.signature`;
}

interface Body {
  AuthFlow?: string;
  AuthParameters: Record<string, string>;
  ChallengeName: string;
  ChallengeResponses: Record<string, string>;
  Session: string;
  Username: string;
  ConfirmationCode: string;
  Password: string;
  AccessToken: string;
  UserCode: string;
  SoftwareTokenMfaSettings: { Enabled: boolean };
}

export function fakeCognito(users: Record<string, FakeUser>, now: () => number = () => Date.now()) {
  const calls: { operation: string; body: Record<string, unknown> }[] = [];
  const refreshTokens = new Map<string, string>();
  const sessions = new Map<string, { email: string; next: "NEW_PASSWORD_REQUIRED" | "SOFTWARE_TOKEN_MFA" }>();
  const codes = new Map<string, string>();
  let issued = 0;
  const state = { refuseRefresh: false, lifetimeSeconds: 3600 };

  const fail = (type: string, message: string) => new Response(JSON.stringify({ __type: type, message }), { status: 400 });
  const ok = (body: object) => new Response(JSON.stringify(body), { status: 200 });
  const tokens = (email: string, withRefresh: boolean) => {
    issued += 1;
    const exp = Math.floor(now() / 1000) + state.lifetimeSeconds;
    const result: Record<string, unknown> = {
      IdToken: fakeJwt({ sub: users[email].sub, email, exp, token_use: "id", n: issued }),
      AccessToken: fakeJwt({ sub: users[email].sub, exp, token_use: "access", n: issued }),
      ExpiresIn: state.lifetimeSeconds,
      TokenType: "Bearer",
    };
    if (withRefresh) {
      const refresh = `refresh-${email}-${issued}`;
      refreshTokens.set(refresh, email);
      result.RefreshToken = refresh;
    }
    return ok({ AuthenticationResult: result });
  };
  const challenge = (email: string, next: "NEW_PASSWORD_REQUIRED" | "SOFTWARE_TOKEN_MFA") => {
    const session = `session-${++issued}`;
    sessions.set(session, { email, next });
    return ok({ ChallengeName: next, Session: session, ChallengeParameters: { USER_ID_FOR_SRP: email } });
  };
  const afterPassword = (email: string) => (users[email].mfaCode ? challenge(email, "SOFTWARE_TOKEN_MFA") : tokens(email, true));

  const fetch = async (_url: RequestInfo | URL, init?: RequestInit) => {
    const operation = new Headers(init?.headers).get("X-Amz-Target")!.split(".")[1];
    const body = JSON.parse(String(init?.body)) as Body;
    calls.push({ operation, body: body as unknown as Record<string, unknown> });
    if (operation === "InitiateAuth" && body.AuthFlow === "USER_PASSWORD_AUTH") {
      const email = body.AuthParameters.USERNAME as string;
      if (!users[email] || users[email].password !== body.AuthParameters.PASSWORD) return fail("NotAuthorizedException", "Incorrect username or password.");
      return users[email].mustChangePassword ? challenge(email, "NEW_PASSWORD_REQUIRED") : afterPassword(email);
    }
    if (operation === "InitiateAuth" && body.AuthFlow === "REFRESH_TOKEN_AUTH") {
      const email = refreshTokens.get(body.AuthParameters.REFRESH_TOKEN);
      if (!email || state.refuseRefresh) return fail("NotAuthorizedException", "Refresh Token has been revoked");
      return tokens(email, false);
    }
    if (operation === "RespondToAuthChallenge") {
      const session = sessions.get(body.Session);
      if (!session || session.next !== body.ChallengeName) return fail("NotAuthorizedException", "Invalid session for the user.");
      const user = users[session.email];
      if (body.ChallengeName === "NEW_PASSWORD_REQUIRED") {
        if (String(body.ChallengeResponses.NEW_PASSWORD).length < 12)
          return fail("InvalidPasswordException", "Password did not conform with policy: Password not long enough");
        user.password = body.ChallengeResponses.NEW_PASSWORD;
        user.mustChangePassword = false;
        sessions.delete(body.Session);
        return afterPassword(session.email);
      }
      if (body.ChallengeResponses.SOFTWARE_TOKEN_MFA_CODE !== user.mfaCode) return fail("CodeMismatchException", "Invalid code received for user");
      sessions.delete(body.Session);
      return tokens(session.email, true);
    }
    if (operation === "ForgotPassword") {
      codes.set(body.Username, "123456");
      return ok({ CodeDeliveryDetails: { Destination: "a***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" } });
    }
    if (operation === "ConfirmForgotPassword") {
      if (codes.get(body.Username) !== body.ConfirmationCode) return fail("CodeMismatchException", "Invalid code provided, please request a code again.");
      users[body.Username].password = body.Password;
      return ok({});
    }
    const byAccess = () => {
      const sub = body.AccessToken ? String(JSON.parse(atob(body.AccessToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub) : "";
      return Object.values(users).find((user) => user.sub === sub);
    };
    if (["GetUser", "AssociateSoftwareToken", "VerifySoftwareToken", "SetUserMFAPreference"].includes(operation)) {
      const user = byAccess();
      if (!user) return fail("NotAuthorizedException", "Invalid Access Token");
      if (operation === "GetUser") return ok({ UserMFASettingList: user.mfaCode ? ["SOFTWARE_TOKEN_MFA"] : [] });
      if (operation === "AssociateSoftwareToken") {
        user.totp = { secret: `SECRET${++issued}ABCDEFGHIJ`, verified: false };
        return ok({ SecretCode: user.totp.secret });
      }
      if (operation === "VerifySoftwareToken") {
        if (!user.totp || body.UserCode !== FAKE_TOTP_CODE) return fail("CodeMismatchException", "Invalid code received for user");
        user.totp.verified = true;
        return ok({ Status: "SUCCESS" });
      }
      if (body.SoftwareTokenMfaSettings.Enabled && !user.totp?.verified) return fail("InvalidParameterException", "User has not verified software token mfa");
      if (body.SoftwareTokenMfaSettings.Enabled) user.mfaCode = FAKE_TOTP_CODE;
      else delete user.mfaCode;
      return ok({});
    }
    if (operation === "GlobalSignOut") {
      refreshTokens.clear();
      return ok({});
    }
    return fail("InvalidParameterException", `${operation} is not faked`);
  };
  return { fetch: fetch as typeof globalThis.fetch, calls, state, users };
}
