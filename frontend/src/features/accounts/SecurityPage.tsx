import { Alert, Badge, Button, Group, Image, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../app/Page";
import { useAccount } from "./account";
import { CognitoError } from "./cognito";
import type { UserSession } from "./userSession";

const mfaKey = ["me", "mfa"] as const;

/** The otpauth:// address authenticator apps read from the QR code (the issuer names Tradewind). */
export function otpauthUri(email: string, secret: string): string {
  return `otpauth://totp/${encodeURIComponent(`Tradewind:${email}`)}?secret=${secret}&issuer=Tradewind`;
}

/** The signed-in person's security: two-step verification with an authenticator app (TOTP), which
 * the pool offers as optional. Setting it up: Cognito gives a secret (shown as text and as a QR code),
 * the person proves their app holds it with a code, and the app asks for a code at each sign-in.
 * These are the person's own Cognito calls, with their access token (docs/accounts.md). */
export default function SecurityPage() {
  const { t } = useTranslation("accounts");
  const session = useAccount()?.userSession ?? null;
  return (
    <Stack gap="md">
      <PageHeader title={t("security.title")} description={t("security.description")} />
      {session ? <Totp session={session} /> : <Alert color="gray">{t("security.keyOnly")}</Alert>}
    </Stack>
  );
}

function useCognitoError(): (error: unknown) => string {
  const { t } = useTranslation("accounts");
  return (error) => (error instanceof CognitoError ? t(`errors.${error.type}`, { defaultValue: error.message }) : t("errors.network"));
}

function Totp({ session }: { session: UserSession }) {
  const { t } = useTranslation("accounts");
  const queryClient = useQueryClient();
  const message = useCognitoError();
  const access = () => session.current?.accessToken ?? "";
  const status = useQuery({
    queryKey: mfaKey,
    queryFn: async () => ((await session.cognito.getUser(access())).UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA"),
  });
  const [secret, setSecret] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => session.cognito.associateSoftwareToken(access()),
    onSuccess: (answer) => setSecret(answer.SecretCode),
  });
  const off = useMutation({
    mutationFn: () => session.cognito.setTotp(access(), false),
    onSuccess: () => queryClient.setQueryData(mfaKey, false),
  });
  const on = status.data === true;
  return (
    <Paper p="md" component="section" aria-labelledby="totp-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="h4" id="totp-title">
          {t("security.totp.title")}
        </Title>
        {status.isSuccess && (
          <Badge color={on ? "green" : "gray"} data-testid="totp-status">
            {t(on ? "security.totp.on" : "security.totp.off")}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t("security.totp.intro")}
      </Text>
      {status.error && <Alert color="red">{message(status.error)}</Alert>}
      {status.isSuccess && on && (
        <Button color="red" variant="light" loading={off.isPending} onClick={() => off.mutate()}>
          {t("security.totp.turnOff")}
        </Button>
      )}
      {status.isSuccess && !on && !secret && (
        <Button loading={start.isPending} onClick={() => start.mutate()}>
          {t("security.totp.setUp")}
        </Button>
      )}
      {(start.error || off.error) && (
        <Alert color="red" mt="sm">
          {message(start.error ?? off.error)}
        </Alert>
      )}
      {secret && !on && (
        <Verify
          session={session}
          secret={secret}
          onDone={() => {
            setSecret(null);
            queryClient.setQueryData(mfaKey, true);
          }}
        />
      )}
    </Paper>
  );
}

function Verify({ session, secret, onDone }: { session: UserSession; secret: string; onDone: () => void }) {
  const { t } = useTranslation("accounts");
  const message = useCognitoError();
  const [code, setCode] = useState("");
  const verify = useMutation({
    mutationFn: async () => {
      const access = session.current?.accessToken ?? "";
      await session.cognito.verifySoftwareToken(access, code.trim(), "Tradewind");
      await session.cognito.setTotp(access, true);
    },
    onSuccess: onDone,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    verify.mutate();
  };
  return (
    <Stack gap="sm" mt="sm">
      <Text size="sm">{t("security.totp.scan")}</Text>
      <QrCode text={otpauthUri(session.current?.email ?? "", secret)} />
      <Text size="sm">{t("security.totp.orType")}</Text>
      <Text ff="monospace" translate="no" data-testid="totp-secret" style={{ wordBreak: "break-all" }}>
        {secret}
      </Text>
      <form onSubmit={submit} aria-label={t("security.totp.verify")}>
        <Group align="flex-end">
          <TextInput
            label={t("mfa.code")}
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            required
          />
          <Button type="submit" loading={verify.isPending}>
            {t("security.totp.verify")}
          </Button>
        </Group>
      </form>
      {verify.error && <Alert color="red">{message(verify.error)}</Alert>}
    </Stack>
  );
}

/** The QR code of `text`, drawn by qrcode-generator, fetched only when a person sets up TOTP. */
function QrCode({ text }: { text: string }) {
  const { t } = useTranslation("accounts");
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import("qrcode-generator").then(({ default: qrcode }) => {
      const qr = qrcode(0, "M");
      qr.addData(text);
      qr.make();
      if (live) setUrl(qr.createDataURL(4, 2));
    });
    return () => {
      live = false;
    };
  }, [text]);
  return url ? <Image src={url} alt={t("security.totp.qr")} w={180} h={180} data-testid="totp-qr" /> : null;
}
