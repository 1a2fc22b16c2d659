import { type FormEvent, useState } from "react";

/** Asks for an API key when the deployment's config.json does not carry one (it never does in AWS). */
export function KeyForm({ onKey }: { onKey: (key: string) => void }) {
  const [key, setKey] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim()) onKey(key.trim());
  };
  return (
    <form className="panel" onSubmit={submit}>
      <label htmlFor="api-key">API key</label>
      <input id="api-key" type="password" autoComplete="off" placeholder="tw_…" value={key} onChange={(e) => setKey(e.target.value)} />
      <button type="submit" disabled={!key.trim()}>
        Use key
      </button>
      <p className="muted">Stored in this browser only (localStorage).</p>
    </form>
  );
}
