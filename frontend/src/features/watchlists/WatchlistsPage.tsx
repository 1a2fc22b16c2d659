import { Anchor, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { ApiProblem } from "../../api/client";
import { ErrorAlert, PageHeader, PageLoader, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { type Watchlist, useCreateWatchlist, useWatchlists } from "./useWatchlists";
import { NeedsRole } from "../accounts/NeedsRole";

/** Named lists of symbols (a backtest or a pipeline run can take one): list and create. */
export function WatchlistsPage() {
  const { t } = useTranslation("watchlists");
  const watchlists = useWatchlists();
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Stack gap="md">
        <Paper p="md" component="section" aria-labelledby="create-title">
          <Title order={2} fz="h4" id="create-title" mb="sm">
            {t("create.title")}
          </Title>
          <CreateForm />
        </Paper>
        <Paper p="md" component="section" aria-labelledby="list-title">
          <Title order={2} fz="h4" id="list-title" mb="sm">
            {t("list.title")}
          </Title>
          {watchlists.error && <ErrorAlert error={watchlists.error} />}
          {watchlists.isPending && <PageLoader />}
          {watchlists.data && <WatchlistTable watchlists={watchlists.data.items} />}
        </Paper>
      </Stack>
    </>
  );
}

function CreateForm() {
  const { t } = useTranslation("watchlists");
  const errorMessage = useErrorMessage();
  const navigate = useNavigate();
  const create = useCreateWatchlist();
  const [name, setName] = useState("");
  const problem = create.error instanceof ApiProblem ? create.error : null;
  const atName = problem?.at("name") ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), symbols: [] }, { onSuccess: (made) => navigate(`/watchlists/${made.watchlist_id}`) });
  };
  return (
    <form onSubmit={submit} aria-label={t("create.title")} noValidate>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          label={t("fields.name")}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={atName.length ? atName.join("; ") : undefined}
          maxLength={100}
          style={{ flex: "1 1 14rem", maxWidth: 420 }}
        />
        <NeedsRole role="researcher">
          <Button type="submit" mt={{ base: 0, xs: 25 }} loading={create.isPending} disabled={!name.trim()} leftSection={<IconPlus size={16} aria-hidden />}>
            {t("create.submit")}
          </Button>
        </NeedsRole>
      </Group>
      {create.error && !atName.length && (
        <Text c="var(--tw-error)" size="sm" role="alert" mt="xs">
          {errorMessage(create.error)}
        </Text>
      )}
    </form>
  );
}

function WatchlistTable({ watchlists }: { watchlists: Watchlist[] }) {
  const { t } = useTranslation("watchlists");
  const format = useFormat();
  if (!watchlists.length)
    return (
      <Text c="dimmed" size="sm">
        {t("list.empty")}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table aria-label={t("list.title")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("fields.name")}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t("list.count")}
            </Table.Th>
            <Table.Th scope="col">{t("list.symbols")}</Table.Th>
            <Table.Th scope="col">{t("list.updated")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {watchlists.map((watchlist) => (
            <Table.Tr key={watchlist.watchlist_id} data-testid={`watchlist-${watchlist.watchlist_id}`}>
              <Table.Th scope="row" fw={500}>
                <Anchor component={Link} to={`/watchlists/${watchlist.watchlist_id}`} size="sm" translate="no" style={{ wordBreak: "break-word" }}>
                  {watchlist.name}
                </Anchor>
              </Table.Th>
              <Table.Td className="tw-num">{format.integer(watchlist.symbols.length)}</Table.Td>
              <Table.Td maw={320}>
                <Text size="sm" c="dimmed" truncate translate="no">
                  {watchlist.symbols.join(", ")}
                </Text>
              </Table.Td>
              <Table.Td className="tw-num" style={{ textAlign: "left" }}>
                {format.dateTime(watchlist.updated_at)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export default WatchlistsPage;
