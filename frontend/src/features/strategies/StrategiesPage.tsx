/** The tenant's strategies: search by name or tag, create from a template, import a file, delete. */
import { Anchor, Badge, Button, FileButton, Group, Modal, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconPlus, IconSearch, IconUpload } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { ApiProblem } from "../../api/client";
import { ConfirmModal } from "../../app/ConfirmModal";
import { ErrorAlert, PageHeader, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { type StrategySearch, useCreateStrategy, useDeleteStrategy, useImportStrategy, useStrategyList, useTemplates } from "./api";
import { normalizeLoc, pathKey } from "./locate";
import type { StrategySummary } from "./model";
import { NeedsRole } from "../accounts/NeedsRole";

export function StrategiesPage() {
  const { t } = useTranslation("strategies");
  const [search, setSearch] = useState<StrategySearch>({ q: "", match: "contains", tag: "" });
  const [debounced] = useDebouncedValue(search, 250);
  const list = useStrategyList(debounced);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<StrategySummary | null>(null);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <Group gap="xs">
            <ImportButton />
            <NeedsRole role="researcher">
              <Button size="sm" leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
                {t("create.button")}
              </Button>
            </NeedsRole>
          </Group>
        }
      />
      <Paper p="md" component="section" aria-label={t("list.label")}>
        <form role="search" onSubmit={(e) => e.preventDefault()}>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" mb="md">
            <TextInput
              label={t("list.search")}
              leftSection={<IconSearch size={14} />}
              value={search.q}
              onChange={(e) => setSearch({ ...search, q: e.currentTarget.value })}
              maxLength={100}
            />
            <NativeSelect
              label={t("list.match")}
              value={search.match}
              onChange={(e) => setSearch({ ...search, match: e.currentTarget.value as StrategySearch["match"] })}
              data={[
                { value: "contains", label: t("list.matches.contains") },
                { value: "prefix", label: t("list.matches.prefix") },
              ]}
            />
            <TextInput label={t("list.tag")} value={search.tag} onChange={(e) => setSearch({ ...search, tag: e.currentTarget.value })} maxLength={40} />
          </SimpleGrid>
        </form>
        {list.error && <ErrorAlert error={list.error} />}
        {list.data && !items.length && (
          <Text c="dimmed" size="sm">
            {debounced.q || debounced.tag ? t("list.noMatch") : t("list.empty")}
          </Text>
        )}
        {items.length > 0 && <StrategyTable items={items} onDelete={setDeleting} />}
        {list.hasNextPage && (
          <Group justify="center" mt="sm">
            <Button variant="default" size="xs" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t("list.more")}
            </Button>
          </Group>
        )}
      </Paper>
      <CreateModal opened={creating} onClose={() => setCreating(false)} />
      <DeleteModal strategy={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

function StrategyTable({ items, onDelete }: { items: StrategySummary[]; onDelete: (s: StrategySummary) => void }) {
  const { t } = useTranslation("strategies");
  const format = useFormat();
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label={t("list.label")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("list.name")}</Table.Th>
            <Table.Th scope="col">{t("list.tags")}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t("list.version")}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t("list.updated")}
            </Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>{t("list.actions")}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((s) => (
            <Table.Tr key={s.strategy_id} data-testid={`strategy-${s.strategy_id}`}>
              <Table.Th scope="row" fw={500}>
                <Anchor component={Link} to={`/strategies/${s.strategy_id}`} size="sm" translate="no">
                  {s.name}
                </Anchor>
                {s.description && (
                  <Text size="xs" c="dimmed" lineClamp={1} translate="no">
                    {s.description}
                  </Text>
                )}
              </Table.Th>
              <Table.Td>
                <Group gap={4}>
                  {s.tags.map((tag) => (
                    <Badge key={tag} size="xs" variant="light" translate="no">
                      {tag}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td className="tw-num">{format.integer(s.latest_version)}</Table.Td>
              <Table.Td className="tw-num">{format.dateTime(s.updated_at)}</Table.Td>
              <Table.Td ta="right">
                <NeedsRole role="researcher">
                  <Button size="compact-xs" color="red" variant="light" onClick={() => onDelete(s)} aria-label={t("delete.label", { name: s.name })}>
                    {t("delete.button")}
                  </Button>
                </NeedsRole>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function CreateModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation("strategies");
  const { t: common } = useTranslation();
  const errorMessage = useErrorMessage();
  const templates = useTemplates();
  const create = useCreateStrategy();
  const navigate = useNavigate();
  const [template, setTemplate] = useState("");
  const [name, setName] = useState("");
  const chosen = template || templates.data?.items[0]?.template || "";
  const info = templates.data?.items.find((x) => x.template === chosen);
  const problem = create.error instanceof ApiProblem ? create.error : null;
  const close = () => {
    create.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ template: chosen, name: name.trim() || undefined }, { onSuccess: (made) => void navigate(`/strategies/${made.strategy_id}`) });
  };
  return (
    <Modal opened={opened} onClose={close} title={t("create.title")} closeButtonProps={{ "aria-label": common("actions.close") }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {templates.error && <ErrorAlert error={templates.error} />}
          <NativeSelect
            label={t("create.template")}
            value={chosen}
            onChange={(e) => setTemplate(e.currentTarget.value)}
            data={(templates.data?.items ?? []).map((x) => ({ value: x.template, label: x.name }))}
            error={problem?.at("template").join("; ") || undefined}
          />
          {info && (
            <Text size="xs" c="dimmed" translate="no">
              {info.description}
            </Text>
          )}
          <TextInput
            label={t("create.name")}
            description={t("create.nameHint")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={200}
            error={problem?.at("name").join("; ") || undefined}
          />
          {create.error && !problem?.errors.length && (
            <Text size="sm" c="var(--tw-error)" role="alert">
              {errorMessage(create.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {common("actions.cancel")}
            </Button>
            <NeedsRole role="researcher">
              <Button type="submit" loading={create.isPending} disabled={!chosen}>
                {t("create.submit")}
              </Button>
            </NeedsRole>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ImportButton() {
  const { t } = useTranslation("strategies");
  const errorMessage = useErrorMessage();
  const importer = useImportStrategy();
  const navigate = useNavigate();
  const [fileError, setFileError] = useState<string | null>(null);
  const [sent, setSent] = useState<unknown>(null);
  const pick = async (file: File | null) => {
    if (!file) return;
    setFileError(null);
    importer.reset();
    const text = await file.text();
    try {
      setSent(JSON.parse(text));
    } catch {
      setSent(null);
    }
    importer.mutate(text, {
      onSuccess: (made) => void navigate(`/strategies/${made.strategy_id}`),
      onError: (error) => {
        if (error instanceof SyntaxError) setFileError(t("import.notJson", { file: file.name }));
      },
    });
  };
  const problem = importer.error instanceof ApiProblem ? importer.error : null;
  return (
    <>
      <FileButton onChange={(file) => void pick(file)} accept="application/json,.json">
        {(props) => (
          <NeedsRole role="researcher">
            <Button {...props} size="sm" variant="default" leftSection={<IconUpload size={16} />} loading={importer.isPending}>
              {t("import.button")}
            </Button>
          </NeedsRole>
        )}
      </FileButton>
      <Modal opened={!!fileError || !!problem} onClose={() => (setFileError(null), importer.reset())} title={t("import.failed")}>
        <Stack gap="xs" role="alert">
          {fileError && <Text size="sm">{fileError}</Text>}
          {problem && <Text size="sm">{errorMessage(problem)}</Text>}
          {problem && problem.errors.length > 0 && (
            <Stack gap={2} component="ul" m={0} pl="md" data-testid="import-problems">
              {problem.errors.map((e, i) => (
                <Text key={i} component="li" size="sm" translate="no">
                  <Text span ff="monospace" size="sm">
                    {pathKey(e.loc[0] === "body" ? normalizeLoc(e.loc.slice(1), sent) : e.loc) || "$"}
                  </Text>
                  {": "}
                  {e.msg}
                </Text>
              ))}
            </Stack>
          )}
        </Stack>
      </Modal>
    </>
  );
}

function DeleteModal({ strategy, onClose }: { strategy: StrategySummary | null; onClose: () => void }) {
  const { t } = useTranslation("strategies");
  const remove = useDeleteStrategy();
  return (
    <ConfirmModal
      opened={!!strategy}
      onClose={onClose}
      title={t("delete.title", { name: strategy?.name ?? "" })}
      confirmLabel={t("delete.confirm")}
      mutation={remove}
      onConfirm={(close) => strategy && remove.mutate(strategy.strategy_id, { onSuccess: close })}
    >
      {t("delete.body", { count: strategy?.latest_version ?? 0 })}
    </ConfirmModal>
  );
}

export default StrategiesPage;
