import { Alert, Anchor, Button, Center, Divider, Group, Paper, PasswordInput, PinInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { LanguageToggle, ThemeToggle } from "../../app/HeaderControls";
import type { AppConfig } from "../../config";
import { KeyForm } from "../auth/KeyForm";
import { type AuthAnswer, CognitoError } from "./cognito";
import type { UserSession } from "./userSession";

type Step =
  | { kind: "password" }
  | { kind: "newPassword"; session: string; username: string }
  | { kind: "mfa"; session: string; username: string }
  | { kind: "forgot" }
  | { kind: "reset" }
  | { kind: "key" };

/** Cognito refusals we word ourselves (in the reader's language); others show Cognito's message. */
const KNOWN = new Set([
  "NotAuthorizedException",
  "UserNotFoundException",
  "CodeMismatchException",
  "ExpiredCodeException",
  "LimitExceededException",
  "TooManyRequestsException",
  "PasswordResetRequiredException",
  "UserNotConfirmedException",
]);

/** The sign-in page: email and password (Cognito USER_PASSWORD_AUTH), then a new password for an
 * invited person's first sign-in (NEW_PASSWORD_REQUIRED) or the authenticator code when MFA is on
 * (SOFTWARE_TOKEN_MFA); "forgot password" (a code by email, then a new password); and, second, an
 * API key (for local use and programs). */
export default function SignInPage({ config, session, onKey }: { config: AppConfig; session: UserSession | null; onKey: (key: string) => void }) {
  const { t } = useTranslation("accounts");
  const { t: common } = useTranslation();
  const [step, setStep] = useState<Step>(session ? { kind: "password" } : { kind: "key" });
  const [email, setEmail] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failures, setFailures] = useState(0);

  const go = (next: Step) => (setError(null), setNotice(null), setStep(next));
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught);
      setFailures((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };
  /** Tokens: signed in (the gate opens the app); a challenge: its step. */
  const handle = (answer: AuthAnswer, username: string) => {
    if (answer.AuthenticationResult) session!.accept(answer);
    else if (answer.ChallengeName === "NEW_PASSWORD_REQUIRED")
      go({ kind: "newPassword", session: answer.Session!, username: answer.ChallengeParameters?.USER_ID_FOR_SRP ?? username });
    else if (answer.ChallengeName === "SOFTWARE_TOKEN_MFA")
      go({ kind: "mfa", session: answer.Session!, username: answer.ChallengeParameters?.USER_ID_FOR_SRP ?? username });
    else throw new CognitoError("UnsupportedChallenge", t("errors.challenge", { name: answer.ChallengeName ?? "?" }), 200);
  };

  let body: ReactNode;
  if (step.kind === "password")
    body = (
      <PasswordStep
        email={email}
        setEmail={setEmail}
        busy={busy}
        onSubmit={(password) => run(async () => handle(await session!.cognito.signIn(email.trim(), password), email.trim()))}
        onForgot={() => go({ kind: "forgot" })}
      />
    );
  else if (step.kind === "newPassword")
    body = (
      <NewPasswordStep
        busy={busy}
        onSubmit={(password) =>
          run(async () =>
            handle(await session!.cognito.respond("NEW_PASSWORD_REQUIRED", step.session, { USERNAME: step.username, NEW_PASSWORD: password }), step.username),
          )
        }
      />
    );
  else if (step.kind === "mfa")
    body = (
      <form aria-label={t("mfa.title")} onSubmit={(e) => e.preventDefault()}>
        <Stack gap="sm">
          <Text size="sm">{t("mfa.intro")}</Text>
          <PinInput
            key={failures}
            length={6}
            type="number"
            oneTimeCode
            autoFocus
            aria-label={t("mfa.code")}
            disabled={busy}
            onComplete={(code) =>
              run(async () =>
                handle(
                  await session!.cognito.respond("SOFTWARE_TOKEN_MFA", step.session, { USERNAME: step.username, SOFTWARE_TOKEN_MFA_CODE: code }),
                  step.username,
                ),
              )
            }
          />
        </Stack>
      </form>
    );
  else if (step.kind === "forgot")
    body = (
      <form
        aria-label={t("forgot.title")}
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await session!.cognito.forgotPassword(email.trim());
            go({ kind: "reset" });
            setNotice(t("forgot.sent", { email: email.trim() }));
          });
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t("forgot.intro")}</Text>
          <TextInput label={t("email")} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <Button type="submit" loading={busy} disabled={!email.trim()}>
            {t("forgot.send")}
          </Button>
        </Stack>
      </form>
    );
  else if (step.kind === "reset")
    body = (
      <ResetStep
        busy={busy}
        onSubmit={(code, password) =>
          run(async () => {
            await session!.cognito.confirmForgotPassword(email.trim(), code, password);
            go({ kind: "password" });
            setNotice(t("forgot.done"));
          })
        }
      />
    );
  else
    body = (
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("key.intro")}
        </Text>
        {config.apiKey && (
          <Button variant="light" onClick={() => onKey(config.apiKey!)}>
            {t("key.local")}
          </Button>
        )}
        <KeyForm onKey={onKey} />
      </Stack>
    );

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper p="lg" w="100%" maw={420} shadow="sm">
        <Group justify="space-between" mb="md" wrap="nowrap">
          <Title order={1} fz="h3">
            {common("app.name")}
          </Title>
          <Group gap={4}>
            <LanguageToggle />
            <ThemeToggle />
          </Group>
        </Group>
        <Title order={2} fz="h4" mb="sm">
          {t(`steps.${step.kind}`)}
        </Title>
        {notice && (
          <Alert color="teal" variant="light" mb="sm" role="status">
            {notice}
          </Alert>
        )}
        {error !== null && (
          <Alert color="red" variant="light" mb="sm" role="alert">
            {errorText(error, t)}
          </Alert>
        )}
        {body}
        <Divider my="md" />
        <Group justify="space-between" gap="xs">
          {step.kind !== "password" && session && (
            <Anchor component="button" type="button" size="sm" onClick={() => go({ kind: "password" })}>
              {t("backToSignIn")}
            </Anchor>
          )}
          {step.kind !== "key" && (
            <Anchor component="button" type="button" size="sm" onClick={() => go({ kind: "key" })}>
              {t("useKey")}
            </Anchor>
          )}
        </Group>
      </Paper>
    </Center>
  );
}

function errorText(error: unknown, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (error instanceof CognitoError) return KNOWN.has(error.type) ? t(`errors.${error.type}`) : error.message;
  if (error instanceof TypeError) return t("errors.network");
  return error instanceof Error ? error.message : String(error);
}

function PasswordStep({
  email,
  setEmail,
  busy,
  onSubmit,
  onForgot,
}: {
  email: string;
  setEmail: (email: string) => void;
  busy: boolean;
  onSubmit: (password: string) => void;
  onForgot: () => void;
}) {
  const { t } = useTranslation("accounts");
  const [password, setPassword] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(password);
  };
  return (
    <form aria-label={t("steps.password")} onSubmit={submit}>
      <Stack gap="sm">
        <TextInput label={t("email")} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <PasswordInput label={t("password")} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
        <Button type="submit" loading={busy} disabled={!email.trim() || !password}>
          {t("signIn")}
        </Button>
        <Anchor component="button" type="button" size="sm" onClick={onForgot} ta="left">
          {t("forgot.link")}
        </Anchor>
      </Stack>
    </form>
  );
}

function NewPasswordStep({ busy, onSubmit }: { busy: boolean; onSubmit: (password: string) => void }) {
  const { t } = useTranslation("accounts");
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const mismatch = !!again && again !== password;
  return (
    <form
      aria-label={t("steps.newPassword")}
      onSubmit={(e) => {
        e.preventDefault();
        if (!mismatch) onSubmit(password);
      }}
    >
      <Stack gap="sm">
        <Text size="sm">{t("newPassword.intro")}</Text>
        <PasswordInput
          label={t("newPassword.label")}
          description={t("newPassword.policy")}
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <PasswordInput
          label={t("newPassword.again")}
          autoComplete="new-password"
          required
          value={again}
          error={mismatch ? t("newPassword.mismatch") : undefined}
          onChange={(e) => setAgain(e.currentTarget.value)}
        />
        <Button type="submit" loading={busy} disabled={!password || mismatch || !again}>
          {t("newPassword.submit")}
        </Button>
      </Stack>
    </form>
  );
}

function ResetStep({ busy, onSubmit }: { busy: boolean; onSubmit: (code: string, password: string) => void }) {
  const { t } = useTranslation("accounts");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  return (
    <form
      aria-label={t("steps.reset")}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(code.trim(), password);
      }}
    >
      <Stack gap="sm">
        <TextInput
          label={t("forgot.code")}
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
        />
        <PasswordInput
          label={t("newPassword.label")}
          description={t("newPassword.policy")}
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <Button type="submit" loading={busy} disabled={!code.trim() || !password}>
          {t("forgot.reset")}
        </Button>
      </Stack>
    </form>
  );
}
