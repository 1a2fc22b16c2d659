import { Button, PasswordInput, Stack } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";

/** Asks for an API key: the sign-in page's second way in (features/accounts/SignInPage). */
export function KeyForm({ onKey }: { onKey: (key: string) => void }) {
  const { t } = useTranslation("auth");
  const [key, setKey] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim()) onKey(key.trim());
  };
  return (
    <form onSubmit={submit} aria-label={t("title")}>
      <Stack gap="sm">
        <PasswordInput
          label={t("label")}
          description={t("hint")}
          autoComplete="off"
          placeholder="tw_…"
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
        />
        <Button type="submit" disabled={!key.trim()}>
          {t("submit")}
        </Button>
      </Stack>
    </form>
  );
}
