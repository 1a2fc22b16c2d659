import { Anchor, Button, CloseButton, Group, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ApiProblem } from "../../api/client";
import { ConfirmModal } from "../../app/ConfirmModal";
import { ErrorAlert, PageHeader, PageLoader, useErrorMessage } from "../../app/Page";
import { SymbolSearch } from "../data/SymbolSearch";
import { type Watchlist, useAddSymbol, useDeleteWatchlist, useRemoveSymbol, useRenameWatchlist, useWatchlist } from "./useWatchlists";
import { NeedsRole } from "../accounts/NeedsRole";

/** One watchlist: rename, add symbols (suggested from the datasets), remove them, delete it. */
export function WatchlistPage() {
  const { watchlistId = "" } = useParams();
  const { t } = useTranslation("watchlists");
  const query = useWatchlist(watchlistId);
  const [deleting, setDeleting] = useState(false);
  const watchlist = query.data;
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!watchlist) return <PageLoader />;
  return (
    <>
      <PageHeader
        title={watchlist.name}
        description={
          <Anchor component={Link} to="/watchlists" size="sm">
            {t("back")}
          </Anchor>
        }
        actions={
          <NeedsRole role="researcher">
            <Button color="red" variant="light" size="xs" onClick={() => setDeleting(true)}>
              {t("delete.action")}
            </Button>
          </NeedsRole>
        }
      />
      <Stack gap="md">
        <Paper p="md" component="section" aria-labelledby="rename-title">
          <Title order={2} fz="h4" id="rename-title" mb="sm">
            {t("rename.title")}
          </Title>
          <RenameForm key={watchlist.name} watchlist={watchlist} />
        </Paper>
        <Paper p="md" component="section" aria-labelledby="symbols-title">
          <Title order={2} fz="h4" id="symbols-title" mb="sm">
            {t("symbols.title")}
          </Title>
          <Symbols watchlist={watchlist} />
        </Paper>
      </Stack>
      <DeleteModal watchlist={deleting ? watchlist : null} onClose={() => setDeleting(false)} />
    </>
  );
}

function RenameForm({ watchlist }: { watchlist: Watchlist }) {
  const { t } = useTranslation("watchlists");
  const { t: common } = useTranslation();
  const errorMessage = useErrorMessage();
  const rename = useRenameWatchlist(watchlist);
  const [name, setName] = useState(watchlist.name);
  const problem = rename.error instanceof ApiProblem ? rename.error : null;
  const atName = problem?.at("name") ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate(name.trim());
  };
  return (
    <form onSubmit={submit} aria-label={t("rename.title")} noValidate>
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
          <Button type="submit" mt={{ base: 0, xs: 25 }} loading={rename.isPending} disabled={!name.trim() || name.trim() === watchlist.name}>
            {common("actions.save")}
          </Button>
        </NeedsRole>
      </Group>
      {rename.error && !atName.length && (
        <Text c="var(--tw-error)" size="sm" role="alert" mt="xs">
          {errorMessage(rename.error)}
        </Text>
      )}
    </form>
  );
}

function Symbols({ watchlist }: { watchlist: Watchlist }) {
  const { t } = useTranslation("watchlists");
  const errorMessage = useErrorMessage();
  const add = useAddSymbol(watchlist.watchlist_id);
  const remove = useRemoveSymbol(watchlist.watchlist_id);
  const problem = add.error instanceof ApiProblem ? add.error : null;
  const atSymbol = problem?.at("symbol") ?? [];
  return (
    <Stack gap="sm">
      <NeedsRole role="researcher">
        <SymbolSearch
          label={t("symbols.add")}
          description={t("symbols.addHint")}
          onPick={(symbol) => add.mutate(symbol)}
          clearOnPick
          error={atSymbol.length ? atSymbol.join("; ") : undefined}
          style={{ maxWidth: 420 }}
        />
      </NeedsRole>
      {add.error && !atSymbol.length && (
        <Text c="var(--tw-error)" size="sm" role="alert">
          {errorMessage(add.error)}
        </Text>
      )}
      {remove.error && (
        <Text c="var(--tw-error)" size="sm" role="alert">
          {errorMessage(remove.error)}
        </Text>
      )}
      {watchlist.symbols.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t("symbols.empty")}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={280} maw={520}>
          <Table aria-label={t("symbols.title")} data-testid="watchlist-symbols">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("symbols.symbol")}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t("symbols.actions")}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {watchlist.symbols.map((symbol) => (
                <Table.Tr key={symbol} data-testid={`symbol-${symbol}`}>
                  <Table.Th scope="row" fw={600}>
                    <Anchor component={Link} to={`/data/symbols/${encodeURIComponent(symbol)}`} size="sm" translate="no">
                      {symbol}
                    </Anchor>
                  </Table.Th>
                  <Table.Td ta="right">
                    <Group justify="flex-end">
                      <NeedsRole role="researcher">
                        <CloseButton size="sm" aria-label={t("symbols.remove", { symbol })} onClick={() => remove.mutate(symbol)} disabled={remove.isPending} />
                      </NeedsRole>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function DeleteModal({ watchlist, onClose }: { watchlist: Watchlist | null; onClose: () => void }) {
  const { t } = useTranslation("watchlists");
  const navigate = useNavigate();
  const remove = useDeleteWatchlist();
  return (
    <ConfirmModal
      opened={!!watchlist}
      onClose={onClose}
      title={t("delete.title", { name: watchlist?.name ?? "" })}
      confirmLabel={t("delete.confirm")}
      mutation={remove}
      onConfirm={() => watchlist && remove.mutate(watchlist.watchlist_id, { onSuccess: () => navigate("/watchlists") })}
    >
      {t("delete.body")}
    </ConfirmModal>
  );
}

export default WatchlistPage;
