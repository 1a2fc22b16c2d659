import { fireEvent, render, screen } from "@testing-library/react";
import { expect, it } from "vitest";
import { Providers } from "../../app/Providers";
import type { AppConfig } from "../../config";
import { createI18n, type Language } from "../../i18n";
import { resources } from "../../i18n/resources";
import { testQueryClient } from "../../test/render";
import { AuthGate } from "./AuthGate";
import { CognitoClient } from "./cognito";
import { FAKE_COGNITO, fakeCognito } from "./fakeCognito";
import { REFRESH_STORAGE, UserSession } from "./userSession";

const CONFIG: AppConfig = { apiUrl: "http://api.test", wsUrl: "ws://api.test/ws", stage: "test", cognito: FAKE_COGNITO };

function users() {
  return {
    "ann@example.com": { password: "Correct-horse-1", sub: "sub-ann" },
    "new@example.com": { password: "Temporary-pass-1", sub: "sub-new", mustChangePassword: true },
    "mfa@example.com": { password: "Correct-horse-2", sub: "sub-mfa", mfaCode: "654321" },
  };
}

/** The gate with a fake Cognito; resolves once the (lazy) sign-in page shows, unless `signedIn`. */
async function renderGate(
  config: AppConfig = CONFIG,
  language: Language = "en",
  cognito = fakeCognito(users()),
  signedIn = false,
  queryClient = testQueryClient(),
) {
  const session = new UserSession(new CognitoClient(FAKE_COGNITO, cognito.fetch));
  render(
    <Providers i18n={createI18n(language, resources)} queryClient={queryClient}>
      <AuthGate config={config} session={session}>
        {(auth) => (
          <div>
            <p>{auth.kind === "user" ? `signed in: ${auth.session.current?.email}` : `key: ${auth.apiKey}`}</p>
            <button onClick={auth.signOut}>out</button>
          </div>
        )}
      </AuthGate>
    </Providers>,
  );
  if (!signedIn) await screen.findByRole("heading", { level: 2 }, { timeout: 10_000 });
  return { cognito, session };
}

function fill(label: string | RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

it("signs in with email and password (USER_PASSWORD_AUTH) and signs out back to the page", async () => {
  const { cognito } = await renderGate();
  fill(/^Email/, "ann@example.com");
  fill(/^Password/, "Correct-horse-1");
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByText("signed in: ann@example.com")).toBeTruthy();
  expect(cognito.calls[0]).toEqual({
    operation: "InitiateAuth",
    body: { AuthFlow: "USER_PASSWORD_AUTH", ClientId: "web", AuthParameters: { USERNAME: "ann@example.com", PASSWORD: "Correct-horse-1" } },
  });
  expect(window.sessionStorage.getItem(REFRESH_STORAGE)).toBeTruthy();
  fireEvent.click(screen.getByRole("button", { name: "out" }));
  expect(await screen.findByRole("button", { name: "Sign in" })).toBeTruthy();
  expect(window.sessionStorage.getItem(REFRESH_STORAGE)).toBeNull();
});

it("forgets every cached answer on sign-out, so the next person sees none of them", async () => {
  const queryClient = testQueryClient();
  await renderGate(CONFIG, "en", fakeCognito(users()), false, queryClient);
  fill(/^Email/, "ann@example.com");
  fill(/^Password/, "Correct-horse-1");
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
  await screen.findByText("signed in: ann@example.com");
  queryClient.setQueryData(["me"], { email: "ann@example.com" });
  fireEvent.click(screen.getByRole("button", { name: "out" }));
  await screen.findByRole("button", { name: "Sign in" });
  expect(queryClient.getQueryCache().getAll()).toEqual([]);
});

it("says so, in the reader's language, when the password is wrong", async () => {
  await renderGate(CONFIG, "fr");
  fill(/^E-mail/, "ann@example.com");
  fill(/^Mot de passe/, "wrong");
  fireEvent.click(screen.getByRole("button", { name: "Se connecter" }));
  expect((await screen.findByRole("alert")).textContent).toBe("E-mail ou mot de passe incorrect.");
});

it("asks an invited person for a new password on first sign-in (NEW_PASSWORD_REQUIRED)", async () => {
  const { cognito } = await renderGate();
  fill(/^Email/, "new@example.com");
  fill(/^Password/, "Temporary-pass-1");
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
  await screen.findByRole("heading", { name: "Choose your password" });
  fill(/^New password/, "short");
  fill(/^Repeat the new password/, "short");
  fireEvent.click(screen.getByRole("button", { name: "Set password and sign in" }));
  expect((await screen.findByRole("alert")).textContent).toContain("Password not long enough");
  fill(/^New password/, "A-much-better-pass-9");
  fill(/^Repeat the new password/, "A-much-better-pass-9");
  fireEvent.click(screen.getByRole("button", { name: "Set password and sign in" }));
  expect(await screen.findByText("signed in: new@example.com")).toBeTruthy();
  const respond = cognito.calls.filter((c) => c.operation === "RespondToAuthChallenge").at(-1)!;
  expect(respond.body.ChallengeResponses).toEqual({ USERNAME: "new@example.com", NEW_PASSWORD: "A-much-better-pass-9" });
});

it("asks for the authenticator code when MFA is on (SOFTWARE_TOKEN_MFA)", async () => {
  await renderGate();
  fill(/^Email/, "mfa@example.com");
  fill(/^Password/, "Correct-horse-2");
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
  await screen.findByRole("heading", { name: "Two-step verification" });
  const boxes = screen.getAllByRole("textbox");
  "111111".split("").forEach((digit, i) => fireEvent.change(boxes[i], { target: { value: digit } }));
  expect((await screen.findByRole("alert")).textContent).toBe("That code is not right. Check it and try again.");
  "654321".split("").forEach((digit, i) => fireEvent.change(screen.getAllByRole("textbox")[i], { target: { value: digit } }));
  expect(await screen.findByText("signed in: mfa@example.com")).toBeTruthy();
});

it("resets a forgotten password with the emailed code, then signs in with it", async () => {
  await renderGate();
  fireEvent.click(screen.getByRole("button", { name: "Forgot your password?" }));
  fill(/^Email/, "ann@example.com");
  fireEvent.click(screen.getByRole("button", { name: "Send the code" }));
  expect((await screen.findByRole("status")).textContent).toContain("ann@example.com");
  fill(/^Code from the email/, "000000");
  fill(/^New password/, "Brand-new-pass-7");
  fireEvent.click(screen.getByRole("button", { name: "Set the new password" }));
  expect((await screen.findByRole("alert")).textContent).toBe("That code is not right. Check it and try again.");
  fill(/^Code from the email/, "123456");
  fireEvent.click(screen.getByRole("button", { name: "Set the new password" }));
  // The "code sent" status is on screen until the answer comes: wait for the new text, not the role.
  expect(await screen.findByText("Your password is changed: sign in with it.")).toBeTruthy();
  fill(/^Password/, "Brand-new-pass-7");
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByText("signed in: ann@example.com")).toBeTruthy();
});

it("takes an API key as the second way in, kept in this tab only", async () => {
  await renderGate({ ...CONFIG, apiKey: "tw_local_key" });
  fireEvent.click(screen.getByRole("button", { name: "Use an API key instead" }));
  fill(/^API key/, "tw_typed_key");
  fireEvent.click(screen.getByRole("button", { name: "Use key" }));
  expect(await screen.findByText("key: tw_typed_key")).toBeTruthy();
  expect(window.sessionStorage.getItem("tradewind.apiKey")).toBe("tw_typed_key");
  expect(window.localStorage.length).toBe(0);
  fireEvent.click(screen.getByRole("button", { name: "out" }));
  fireEvent.click(await screen.findByRole("button", { name: "Use an API key instead" }));
  fireEvent.click(screen.getByRole("button", { name: "Use this computer's local key" }));
  expect(await screen.findByText("key: tw_local_key")).toBeTruthy();
});

it("signs a reloaded tab in again from its refresh token, without the page", async () => {
  const cognito = fakeCognito(users());
  const first = new UserSession(new CognitoClient(FAKE_COGNITO, cognito.fetch));
  first.accept(await first.cognito.signIn("ann@example.com", "Correct-horse-1"));
  await renderGate(CONFIG, "en", cognito, true);
  expect(await screen.findByText("signed in: ann@example.com")).toBeTruthy();
});
