// What the console remembers: the session ids of the Admin UI login tokens created in this tab, because the Admin API
// has no "list tokens" operation and a token is only read back by its id (GetToken). They are kept in the tab's
// sessionStorage, beside the credential, per access key, region and app, and forgotten at sign-out or when the tab
// closes (a token lives 10 minutes anyway). Apps are not remembered at all: the apps page asks ListApps.
import { STORAGE_PREFIX, type Session } from "./api";

function key(session: Session, appId: string) {
  return `${STORAGE_PREFIX}tokens:${session.accessKeyId}:${session.region}:${appId}`;
}

function read(k: string): string[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(k) ?? "[]");
    return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
  } catch {
    return [];
  }
}

function write(k: string, values: string[]) {
  if (values.length) sessionStorage.setItem(k, JSON.stringify(values));
  else sessionStorage.removeItem(k);
}

export function rememberedTokens(session: Session, appId: string): string[] {
  return read(key(session, appId));
}

export function rememberToken(session: Session, appId: string, sessionId: string) {
  write(key(session, appId), [sessionId, ...rememberedTokens(session, appId).filter((t) => t !== sessionId)]);
}

export function forgetToken(session: Session, appId: string, sessionId: string) {
  write(key(session, appId), rememberedTokens(session, appId).filter((t) => t !== sessionId));
}

/** An app deleted: its tokens went with it. */
export function forgetTokens(session: Session, appId: string) {
  sessionStorage.removeItem(key(session, appId));
}
