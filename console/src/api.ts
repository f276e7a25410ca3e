// The one way the console talks to Ampstack: the official AmplifyBackend client of the AWS SDK for JavaScript, pointed
// at the page's own origin, signing every call with SigV4 from the credential typed into the sign-in form. There is no
// private API: the console sees exactly what that credential may see.
import { AmplifyBackendClient, GetBackendJobCommand } from "@aws-sdk/client-amplifybackend";

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

const SESSION_KEY = "ampstack.console.session";

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

export function clearSession() {
  sessionStorage.removeItem(SESSION_KEY);
  client = null;
}

let client: AmplifyBackendClient | null = null;

export function clientFor(session: Session): AmplifyBackendClient {
  return new AmplifyBackendClient({
    endpoint: window.location.origin,
    region: session.region,
    credentials: {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken || undefined,
    },
    // One attempt: a person is waiting, and a refused credential or a stopped server should say so at once.
    maxAttempts: 1,
  });
}

export function useSession(session: Session) {
  client = clientFor(session);
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

/** Sends one command (any of the client's); every failure comes back as an ApiError. */
export async function call<T>(command: { input: object }): Promise<T> {
  if (!client) throw new ApiError("Not signed in.", "auth", "NotSignedIn");
  try {
    return (await client.send(command as unknown as Sendable)) as T;
  } catch (e) {
    const error = toApiError(e);
    if (error.kind === "auth") window.dispatchEvent(new CustomEvent("ampstack:refused", { detail: error }));
    throw error;
  }
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
