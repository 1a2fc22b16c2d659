import { beforeEach, expect, it } from "vitest";
import { CognitoClient } from "./cognito";
import { FAKE_COGNITO, fakeCognito } from "./fakeCognito";
import { type Clock, REFRESH_MARGIN_MS, REFRESH_STORAGE, SignedOut, UserSession } from "./userSession";

/** A clock whose timers fire when the test moves time on. */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let next = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: (run, ms) => {
      timers.push({ at: now + ms, run, id: ++next });
      return next;
    },
    clearTimeout: (id) => (timers = timers.filter((t) => t.id !== id)),
  };
  const advance = async (ms: number) => {
    now += ms;
    const due = timers.filter((t) => t.at <= now);
    timers = timers.filter((t) => t.at > now);
    for (const timer of due) timer.run();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { clock, advance, pending: () => timers.length };
}

const USERS = () => ({ "ann@example.com": { password: "Correct-horse-1", sub: "sub-ann" } });

beforeEach(() => window.sessionStorage.clear());

async function signedIn() {
  const time = manualClock();
  const cognito = fakeCognito(USERS(), time.clock.now);
  const session = new UserSession(new CognitoClient(FAKE_COGNITO, cognito.fetch), window.sessionStorage, time.clock);
  session.accept(await session.cognito.signIn("ann@example.com", "Correct-horse-1"));
  return { time, cognito, session };
}

it("keeps the tokens in memory and only the refresh token in sessionStorage, never localStorage", async () => {
  const { session } = await signedIn();
  expect(session.current?.email).toBe("ann@example.com");
  expect(session.current?.sub).toBe("sub-ann");
  expect(window.sessionStorage.getItem(REFRESH_STORAGE)).toBe(session.current?.refreshToken);
  expect(Object.keys({ ...window.sessionStorage })).toEqual([REFRESH_STORAGE]);
  expect(window.localStorage.length).toBe(0);
});

it("refreshes silently a minute before the ID token expires, keeping the refresh token", async () => {
  const { time, cognito, session } = await signedIn();
  const first = session.current!;
  await time.advance(3600_000 - REFRESH_MARGIN_MS - 1_000);
  expect(session.current?.idToken).toBe(first.idToken);
  await time.advance(1_000);
  expect(cognito.calls.map((c) => c.operation)).toEqual(["InitiateAuth", "InitiateAuth"]);
  expect(cognito.calls[1].body.AuthFlow).toBe("REFRESH_TOKEN_AUTH");
  expect(session.current?.idToken).not.toBe(first.idToken);
  expect(session.current?.refreshToken).toBe(first.refreshToken);
  expect(session.current!.expiresAt).toBeGreaterThan(first.expiresAt);
  expect(time.pending()).toBe(1);
});

it("signs out when the refresh is refused: tokens and the stored refresh token are gone", async () => {
  const { time, cognito, session } = await signedIn();
  let notified = 0;
  session.subscribe(() => (notified += 1));
  cognito.state.refuseRefresh = true;
  await time.advance(3600_000 - REFRESH_MARGIN_MS);
  expect(session.current).toBeNull();
  expect(window.sessionStorage.getItem(REFRESH_STORAGE)).toBeNull();
  expect(notified).toBe(1);
  await expect(session.idToken()).rejects.toBeInstanceOf(SignedOut);
});

it("refreshes before a request when the token has less than the margin left", async () => {
  const { time, cognito, session } = await signedIn();
  const first = session.current!.idToken;
  cognito.state.lifetimeSeconds = 30;
  session.accept(await session.cognito.signIn("ann@example.com", "Correct-horse-1"));
  const short = session.current!.idToken;
  cognito.state.lifetimeSeconds = 3600;
  const token = await session.idToken();
  expect(token).not.toBe(short);
  expect(token).not.toBe(first);
  expect(time.pending()).toBe(1);
});

it("restores a reloaded tab from the stored refresh token, and not without one", async () => {
  const { time, cognito, session } = await signedIn();
  const reloaded = new UserSession(new CognitoClient(FAKE_COGNITO, cognito.fetch), window.sessionStorage, time.clock);
  expect(reloaded.restorable).toBe(true);
  expect(await reloaded.restore()).toBe(true);
  expect(reloaded.current?.email).toBe("ann@example.com");
  session.signOut();
  const after = new UserSession(new CognitoClient(FAKE_COGNITO, cognito.fetch), window.sessionStorage, time.clock);
  expect(after.restorable).toBe(false);
  expect(await after.restore()).toBe(false);
});

it("sign-out forgets the tokens and asks Cognito to revoke them", async () => {
  const { cognito, session } = await signedIn();
  const access = session.current!.accessToken;
  session.signOut();
  expect(session.current).toBeNull();
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(cognito.calls.at(-1)).toEqual({ operation: "GlobalSignOut", body: { AccessToken: access } });
});
