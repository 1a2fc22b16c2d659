/** `/integrations/new`: create a channel; a generated webhook signing secret is shown once. */
import { Paper } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { PageHeader } from "../../app/Page";
import { type ChannelIn, useCreateChannel } from "./api";
import { ChannelForm } from "./ChannelForm";
import { SecretModal } from "./SecretModal";

export default function NewChannelPage() {
  const { t } = useTranslation("channels");
  const navigate = useNavigate();
  const create = useCreateChannel();
  const [made, setMade] = useState<{ id: string; secret: string } | null>(null);
  return (
    <>
      <PageHeader title={t("newTitle")} description={t("newDescription")} />
      <Paper p="md">
        <ChannelForm
          pending={create.isPending}
          error={create.error}
          submitLabel={t("create")}
          onSave={(body) =>
            create.mutate(body as ChannelIn, {
              onSuccess: (saved) => {
                if (saved.signing_secret) setMade({ id: saved.channel_id, secret: saved.signing_secret });
                else void navigate(`/integrations/${saved.channel_id}`);
              },
            })
          }
        />
      </Paper>
      <SecretModal secret={made?.secret ?? null} onClose={() => made && void navigate(`/integrations/${made.id}`)} />
    </>
  );
}
