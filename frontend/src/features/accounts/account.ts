import { createContext, useContext } from "react";
import type { Schemas } from "../../api/client";
import type { UserSession } from "./userSession";

export type Role = Schemas["Role"];
export type Me = Schemas["MeOut"];
export type Member = Schemas["MemberOut"];
export type Invitation = Schemas["InvitationOut"];

export const ROLES: Role[] = ["viewer", "researcher", "admin"];

/** viewer < researcher < admin (docs/accounts.md): does `role` include what `needed` may do? */
export function roleAllows(role: Role | null, needed: Role): boolean {
  return role !== null && ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Query keys of the accounts feature: `me` is the person's (any organisation); the rest belong to the
 * organisation picked and are dropped with the others when switching. */
export const accountKeys = {
  me: ["me"] as const,
  members: ["org", "members"] as const,
  invitations: ["org", "invitations"] as const,
};

export interface Account {
  me: Me;
  /** The organisation the app acts in (sent as X-Org-Id). */
  orgId: string | null;
  /** This caller's role there. */
  role: Role | null;
  switchOrg: (orgId: string) => void;
  signOut: () => void;
  /** A person's Cognito session (their own security settings); null with an API key. */
  userSession?: UserSession | null;
}

export const AccountContext = createContext<Account | null>(null);

/** The signed-in caller (null outside the signed-in app, as in component tests of other features). */
export function useAccount(): Account | null {
  return useContext(AccountContext);
}

/** May the current caller do what `needed` may? Outside an account (component tests of other
 * features) nothing is restricted here: the API is the authority and answers 403 anyway. */
export function useCan(needed: Role): boolean {
  const account = useAccount();
  return account === null || roleAllows(account.role, needed);
}

const ORG_STORAGE = "tradewind.org.";

/** The organisation remembered for this person (or key) in this browser, if they still belong to it. */
export function rememberedOrg(me: Me, storage: Storage = window.localStorage): string | null {
  const saved = storage.getItem(ORG_STORAGE + me.actor);
  if (saved && me.orgs.some((org) => org.org_id === saved)) return saved;
  return me.org_id;
}

export function rememberOrg(me: Me, orgId: string, storage: Storage = window.localStorage): void {
  storage.setItem(ORG_STORAGE + me.actor, orgId);
}
