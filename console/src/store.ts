// What the console remembers in localStorage. The Admin API has no "list apps" operation (and no "list tokens"), so the
// console keeps the app ids (and token session ids) this browser created or opened, per access key and region: the
// key stands for the account, since a browser cannot learn the account a key belongs to. Each remembered app is still
// read from the server with GetBackend, so another credential's remembered ids show nothing of this one's data.
import type { Session } from "./api";

function key(session: Session, what: string) {
  return `ampstack.console.${what}:${session.accessKeyId}:${session.region}`;
}

function read(k: string): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(k) ?? "[]");
    return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
  } catch {
    return [];
  }
}

function write(k: string, values: string[]) {
  localStorage.setItem(k, JSON.stringify(values));
}

export function rememberedApps(session: Session): string[] {
  return read(key(session, "apps"));
}

export function rememberApp(session: Session, appId: string) {
  const apps = rememberedApps(session).filter((a) => a !== appId);
  write(key(session, "apps"), [appId, ...apps]);
}

export function forgetApp(session: Session, appId: string) {
  write(key(session, "apps"), rememberedApps(session).filter((a) => a !== appId));
}

export function rememberedTokens(session: Session, appId: string): string[] {
  return read(key(session, `tokens:${appId}`));
}

export function rememberToken(session: Session, appId: string, sessionId: string) {
  write(key(session, `tokens:${appId}`), [sessionId, ...rememberedTokens(session, appId).filter((t) => t !== sessionId)]);
}

export function forgetToken(session: Session, appId: string, sessionId: string) {
  write(key(session, `tokens:${appId}`), rememberedTokens(session, appId).filter((t) => t !== sessionId));
}
