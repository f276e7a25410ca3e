// The one way the console talks to Ampstack: the official clients of the AWS SDK for JavaScript, AmplifyBackend (the
// Admin API) and Amplify (Hosting: listing, creating and deleting apps), pointed at the page's own origin, signing every
// call with SigV4 from the credential typed into the sign-in form. There is no private API: the console sees exactly
// what that credential may see.
import { AmplifyClient } from "@aws-sdk/client-amplify";
import { AmplifyBackendClient, GetBackendJobCommand } from "@aws-sdk/client-amplifybackend";

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

/** What the console keeps in the tab's sessionStorage starts with this; nothing is kept in localStorage. */
export const STORAGE_PREFIX = "ampstack.console.";
const SESSION_KEY = `${STORAGE_PREFIX}session`;

/** The credential lives in the tab's sessionStorage only; closing the tab or signing out forgets it. */
export function loadSession(): Session | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Session;
    return s.accessKeyId && s.secretAccessKey && s.region ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

/** Signing out forgets the credential and everything else this tab kept (the login tokens' session ids). */
export function clearSession() {
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith(STORAGE_PREFIX)) sessionStorage.removeItem(key);
  }
  client = null;
  hostingClient = null;
}

/**
 * Earlier consoles remembered app ids and token ids in localStorage; ListApps made that unnecessary, so whatever an
 * earlier console left there is removed.
 */
export function forgetLegacyStorage() {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(STORAGE_PREFIX)) localStorage.removeItem(key);
  }
}

let client: AmplifyBackendClient | null = null;
let hostingClient: AmplifyClient | null = null;

function config(session: Session) {
  return {
    endpoint: window.location.origin,
    region: session.region,
    credentials: {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken || undefined,
    },
    // One attempt: a person is waiting, and a refused credential or a stopped server should say so at once.
    maxAttempts: 1,
  };
}

export function useSession(session: Session) {
  client = new AmplifyBackendClient(config(session));
  hostingClient = new AmplifyClient(config(session));
}

/** Errors the console explains to a person: the server is down, the credential is refused, or the service said no. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly kind: "network" | "auth" | "service",
    readonly type: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /** The request member a 400 names (its wire path, e.g. resourceConfig.userPoolConfigs.userPoolName), if any. */
  get member(): string | undefined {
    if (this.type !== "BadRequestException") return undefined;
    return /'([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+|\[\d+\])*)'/.exec(this.message)?.[1];
  }
}

const AUTH_ERRORS = new Set([
  "MissingAuthenticationTokenException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "IncompleteSignatureException",
  "AccessDeniedException",
  "ExpiredTokenException",
]);

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err?.$metadata?.httpStatusCode;
  const name = err?.name ?? "Error";
  if (status === undefined) {
    return new ApiError(
      `Cannot reach the Ampstack server at ${window.location.origin} (${err?.message ?? name}). Is it running?`,
      "network",
      name,
    );
  }
  if (status === 403 || AUTH_ERRORS.has(name)) {
    return new ApiError(`The server refused the credential (${name}): ${err.message ?? ""}`, "auth", name, status);
  }
  return new ApiError(err.message || `${name} (HTTP ${status})`, "service", name, status);
}

type Sendable = Parameters<AmplifyBackendClient["send"]>[0];
type HostingSendable = Parameters<AmplifyClient["send"]>[0];

async function send<T>(sending: (() => Promise<unknown>) | null): Promise<T> {
  if (!sending) throw new ApiError("Not signed in.", "auth", "NotSignedIn");
  try {
    return (await sending()) as T;
  } catch (e) {
    const error = toApiError(e);
    if (error.kind === "auth") window.dispatchEvent(new CustomEvent("ampstack:refused", { detail: error }));
    throw error;
  }
}

/** Sends one AmplifyBackend (Admin API) command; every failure comes back as an ApiError. */
export function call<T>(command: { input: object }): Promise<T> {
  const c = client;
  return send<T>(c && (() => c.send(command as unknown as Sendable)));
}

/** Sends one Amplify (Hosting) command; every failure comes back as an ApiError. */
export function callHosting<T>(command: { input: object }): Promise<T> {
  const c = hostingClient;
  return send<T>(c && (() => c.send(command as unknown as HostingSendable)));
}

export interface Job {
  JobId?: string;
  Status?: string;
  Operation?: string;
  Error?: string;
  CreateTime?: string;
  UpdateTime?: string;
  BackendEnvironmentName?: string;
}

/**
 * Polls a job until it is COMPLETED or FAILED, reporting each status seen; gives up (null) once keepGoing says so (the
 * person left the page that waits).
 */
export async function waitForJob(appId: string, env: string, jobId: string, onStatus?: (job: Job) => void,
  keepGoing: () => boolean = () => true): Promise<Job | null> {
  for (;;) {
    if (!keepGoing()) return null;
    const job = await call<Job>(new GetBackendJobCommand({ AppId: appId, BackendEnvironmentName: env, JobId: jobId }));
    onStatus?.(job);
    if (job.Status === "COMPLETED" || job.Status === "FAILED") return job;
    await new Promise((r) => setTimeout(r, 400));
  }
}
