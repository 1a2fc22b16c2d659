/** One strategy: the rule builder and the JSON view over the same document (validated as you edit),
 * save as a new version, export, and the version history with a diff. */
import { Alert, Anchor, Badge, Button, Group, List, Loader, Paper, Stack, Tabs, TagsInput, Text, TextInput, UnstyledButton } from "@mantine/core";
import { IconBraces, IconDownload, IconHistory, IconListDetails } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiProblem } from "../../api/client";
import { ErrorAlert, PageHeader, PageLoader, useErrorMessage } from "../../app/Page";
import { useUnsavedChangesGuard } from "../../app/useUnsavedChangesGuard";
import { useExportStrategy, useIndicatorKinds, useSaveStrategy, useStrategy } from "./api";
import { RuleBuilder } from "./builder/RuleBuilder";
import { History } from "./History";
import { JsonView } from "./JsonView";
import classes from "./StrategyPage.module.css";
import { fieldId, nearestField } from "./locate";
import type { IndicatorKindInfo, Strategy } from "./model";
import { type StrategyEditor, useStrategyEditor } from "./useStrategyEditor";
import { NeedsRole } from "../accounts/NeedsRole";

export function StrategyPage() {
  const { t } = useTranslation("strategies");
  const { strategyId = "" } = useParams();
  const strategy = useStrategy(strategyId);
  const kinds = useIndicatorKinds();
  if (strategy.error)
    return (
      <>
        <PageHeader title={t("title")} />
        <ErrorAlert error={strategy.error} />
        <Anchor component={Link} to="/strategies" size="sm" mt="sm" display="inline-block">
          {t("backToList")}
        </Anchor>
      </>
    );
  if (!strategy.data || !kinds.data) return <PageLoader />;
  return <Editor key={strategy.data.strategy_id} strategy={strategy.data} kinds={kinds.data.items} reload={strategy.refetch} />;
}

function Editor({ strategy, kinds, reload }: { strategy: Strategy; kinds: IndicatorKindInfo[]; reload: () => Promise<{ data?: Strategy }> }) {
  const { t } = useTranslation("strategies");
  const errorMessage = useErrorMessage();
  const editor = useStrategyEditor(strategy.document);
  const [base, setBase] = useState(strategy.latest_version);
  const [note, setNote] = useState("");
  const [tags, setTags] = useState(strategy.tags);
  const [savedTags, setSavedTags] = useState(strategy.tags);
  const changed = editor.dirty || tags.join("\n") !== savedTags.join("\n");
  const { prompt } = useUnsavedChangesGuard(changed);
  const [tab, setTab] = useState<string | null>("builder");
  const [saved, setSaved] = useState<number | null>(null);
  const save = useSaveStrategy(strategy.strategy_id);
  const exporter = useExportStrategy(strategy.strategy_id);
  const stale = save.error instanceof ApiProblem && save.error.status === 409;

  const submit = () => {
    setSaved(null);
    save.mutate(
      { expected_version: base, document: editor.doc, tags, note: note.trim() || undefined },
      {
        onSuccess: (out) => {
          editor.reset(out.document);
          setBase(out.latest_version);
          setNote("");
          setTags(out.tags);
          setSavedTags(out.tags);
          setSaved(out.latest_version);
        },
        onError: (error) => editor.showSaveError(error),
      },
    );
  };
  const reloadLatest = async () => {
    const { data } = await reload();
    if (data) {
      editor.reset(data.document);
      setBase(data.latest_version);
      setTags(data.tags);
      setSavedTags(data.tags);
      save.reset();
    }
  };
  const focusProblem = (path: (string | number)[]) => {
    setTab("builder");
    setTimeout(() => {
      const id = nearestField(path, (candidate) => !!document.getElementById(candidate));
      const el = id ? document.getElementById(id) : null;
      el?.focus();
      el?.scrollIntoView({ block: "center" });
    }, 0);
  };

  return (
    <div className={classes.editor}>
      {prompt}
      <PageHeader
        title={editor.doc.name || strategy.name}
        description={
          <>
            <Anchor component={Link} to="/strategies" size="sm">
              {t("backToList")}
            </Anchor>
            {" · "}
            {t("versionOf", { version: base })}
          </>
        }
        actions={
          <Group gap="xs" wrap="wrap">
            <Status editor={editor} unsaved={changed} />
            <Button
              variant="default"
              size="xs"
              leftSection={<IconDownload size={14} />}
              loading={exporter.isPending}
              onClick={() => exporter.mutate(undefined)}
            >
              {t("export")}
            </Button>
          </Group>
        }
      />
      <Stack gap="sm">
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TagsInput
            size="xs"
            label={t("save.tags")}
            placeholder={t("save.tagsHint")}
            value={tags}
            onChange={setTags}
            maxTags={20}
            splitChars={[","]}
            style={{ flex: "1 1 14rem" }}
          />
          <TextInput
            size="xs"
            label={t("save.note")}
            placeholder={t("save.notePlaceholder")}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={500}
            style={{ flex: "1 1 16rem" }}
          />
          <NeedsRole role="researcher">
            <Button size="xs" onClick={submit} loading={save.isPending} disabled={!changed || !!editor.parseError}>
              {t("save.button")}
            </Button>
          </NeedsRole>
        </Group>
        {saved !== null && !changed && (
          <Text size="sm" c="var(--tw-ok)" role="status">
            {t("save.saved", { version: saved })}
          </Text>
        )}
        {stale && (
          <Alert color="yellow" variant="light" title={t("save.staleTitle")} role="alert">
            <Text size="sm" mb="xs">
              {t("save.staleBody", { version: base })}
            </Text>
            <Button size="xs" variant="default" onClick={() => void reloadLatest()}>
              {t("save.reload")}
            </Button>
          </Alert>
        )}
        {save.error && !stale && !(save.error instanceof ApiProblem && save.error.status === 422) && <ErrorAlert error={save.error} />}
        {exporter.error && <ErrorAlert error={exporter.error} />}
        {editor.validationError && (
          <Text size="sm" c="var(--tw-error)">
            {t("validation.failed", { message: errorMessage(editor.validationError) })}
          </Text>
        )}
        <Problems editor={editor} onPick={focusProblem} />
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="builder" leftSection={<IconListDetails size={14} />}>
              {t("tabs.builder")}
            </Tabs.Tab>
            <Tabs.Tab value="json" leftSection={<IconBraces size={14} />}>
              {t("tabs.json")}
            </Tabs.Tab>
            <Tabs.Tab value="history" leftSection={<IconHistory size={14} />}>
              {t("tabs.history")}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="builder" pt="sm">
            {editor.parseError ? (
              <Alert color="yellow" variant="light" role="alert">
                {t("json.builderPaused", { line: editor.parseError.line })}
              </Alert>
            ) : (
              <RuleBuilder doc={editor.doc} onChange={editor.setDoc} problems={editor.problems} kinds={kinds} />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="json" pt="sm">
            <JsonView editor={editor} />
          </Tabs.Panel>
          <Tabs.Panel value="history" pt="sm">
            <History
              strategyId={strategy.strategy_id}
              latest={base}
              onEdit={(document, version) => {
                editor.setDoc(document);
                setNote(t("history.restoredNote", { version }));
                setTab("builder");
              }}
            />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </div>
  );
}

function Status({ editor, unsaved }: { editor: StrategyEditor; unsaved: boolean }) {
  const { t } = useTranslation("strategies");
  const count = editor.problems.all.length;
  let badge;
  if (editor.parseError)
    badge = (
      <Badge color="red" variant="light">
        {t("status.badJson")}
      </Badge>
    );
  else if (editor.validating)
    badge = (
      <Badge color="gray" variant="light" leftSection={<Loader size={10} />}>
        {t("status.checking")}
      </Badge>
    );
  else if (count)
    badge = (
      <Badge color="red" variant="light">
        {t("validation.count", { count })}
      </Badge>
    );
  else
    badge = (
      <Badge color="teal" variant="light">
        {t("status.valid")}
      </Badge>
    );
  return (
    <Group gap={4} role="status" aria-live="polite" data-testid="strategy-status">
      {badge}
      {unsaved && (
        <Badge color="yellow" variant="light">
          {t("status.unsaved")}
        </Badge>
      )}
    </Group>
  );
}

function Problems({ editor, onPick }: { editor: StrategyEditor; onPick: (path: (string | number)[]) => void }) {
  const { t } = useTranslation("strategies");
  const all = editor.problems.all;
  if (!all.length || editor.parseError) return null;
  return (
    <Paper p="sm" className={classes.problems} component="section" aria-labelledby="problems-title">
      <Text size="sm" fw={600} c="var(--tw-error)" id="problems-title" mb={4}>
        {t("validation.title", { count: all.length })}
      </Text>
      <List size="sm" spacing={2} data-testid="problem-list">
        {all.map((p, i) => (
          <List.Item key={i}>
            <UnstyledButton
              onClick={() => onPick(p.at)}
              aria-describedby={`problem-${i}`}
              data-field={fieldId(p.at)}
              className={classes.problemLink}
              translate="no"
            >
              {p.key || "$"}
            </UnstyledButton>
            {": "}
            <Text span size="sm" id={`problem-${i}`} translate="no">
              {p.msg}
            </Text>
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}

export default StrategyPage;
