import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { expect, it } from "vitest";
import { Providers } from "../../app/Providers";
import { testAccount, testQueryClient } from "../../test/render";
import { createI18n, type Language } from "../../i18n";
import { resources } from "../../i18n/resources";
import { AccountContext } from "./account";
import { CognitoClient } from "./cognito";
import { FAKE_COGNITO, FAKE_TOTP_CODE, fakeCognito } from "./fakeCognito";
import SecurityPage, { otpauthUri } from "./SecurityPage";
import { UserSession } from "./userSession";

const ANN = "ann@example.com";

async function signedIn() {
  const cognito = fakeCognito({ [ANN]: { password: "Correct-horse-1", sub: "u1" } });
  const session = new UserSession(new CognitoClient(FAKE_COGNITO, cognito.fetch), window.sessionStorage);
  session.accept(await session.cognito.signIn(ANN, "Correct-horse-1"));
  return { cognito, session };
}

function renderPage(session: UserSession | null, language: Language = "en") {
  const queryClient = testQueryClient();
  const wrap = (children: ReactNode) => (
    <Providers i18n={createI18n(language, resources)} queryClient={queryClient}>
      <AccountContext.Provider value={{ ...testAccount("viewer"), userSession: session }}>{children}</AccountContext.Provider>
    </Providers>
  );
  const router = createMemoryRouter([{ path: "*", element: <SecurityPage /> }], { initialEntries: ["/security"] });
  return render(wrap(<RouterProvider router={router} />));
}

it("sets up an authenticator: secret as text and QR code, a wrong code refused, the right one turns it on", async () => {
  const { cognito, session } = await signedIn();
  renderPage(session);
  expect((await screen.findByTestId("totp-status")).textContent).toBe("Off");
  fireEvent.click(screen.getByRole("button", { name: "Set up an authenticator app" }));

  const shown = await screen.findByTestId("totp-secret");
  expect(shown.textContent).toBe(cognito.users[ANN].totp!.secret);
  const qr = await screen.findByRole("img", { name: "QR code of the authenticator key" });
  expect(qr.getAttribute("src")).toMatch(/^data:image\/gif;base64,/);

  const code = screen.getByLabelText(/Authenticator code/);
  fireEvent.change(code, { target: { value: "000000" } });
  fireEvent.click(screen.getByRole("button", { name: "Verify and turn on" }));
  expect(await screen.findByText("That code is not right. Check it and try again.")).toBeTruthy();
  expect(cognito.users[ANN].mfaCode).toBeUndefined();

  fireEvent.change(code, { target: { value: FAKE_TOTP_CODE } });
  fireEvent.click(screen.getByRole("button", { name: "Verify and turn on" }));
  await waitFor(() => expect(screen.getByTestId("totp-status").textContent).toBe("On"));
  expect(screen.queryByTestId("totp-secret")).toBeNull();
  const preference = cognito.calls.find((c) => c.operation === "SetUserMFAPreference")!;
  expect(preference.body).toEqual({ AccessToken: session.current!.accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });

  // The next sign-in asks for the code.
  expect((await session.cognito.signIn(ANN, "Correct-horse-1")).ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
});

it("turns two-step verification off", async () => {
  const { cognito, session } = await signedIn();
  cognito.users[ANN].mfaCode = FAKE_TOTP_CODE;
  renderPage(session, "fr");
  expect((await screen.findByTestId("totp-status")).textContent).toBe("Activée");
  fireEvent.click(screen.getByRole("button", { name: "Désactiver" }));
  await waitFor(() => expect(screen.getByTestId("totp-status").textContent).toBe("Désactivée"));
  expect(cognito.users[ANN].mfaCode).toBeUndefined();
});

it("an API key has no security settings", () => {
  renderPage(null);
  expect(screen.getByText("Security settings belong to people who sign in; an API key has none.")).toBeTruthy();
});

it("the QR code's address names Tradewind and the person", () => {
  expect(otpauthUri("ann@example.com", "ABC")).toBe("otpauth://totp/Tradewind%3Aann%40example.com?secret=ABC&issuer=Tradewind");
});
