// electron-updater (the real npm package) driven from plain Node, without Electron, for end-to-end
// tests of the update feed. It uses electron-updater's own updaters (NsisUpdater, AppImageUpdater),
// provider, differential downloader and sha512 verification; only Electron's pieces are replaced:
// the app (an AppAdapter over a temp dir) and `net` (an HttpExecutor over node:http/https that
// records every request, so a test can tell a differential download from a full one).
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { ClientRequest, IncomingMessage, RequestOptions } from "node:http";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import {
  CURRENT_APP_INSTALLER_FILE_NAME,
  type CustomPublishOptions,
  configureRequestOptions,
  configureRequestUrl,
  type DownloadOptions,
  type GenericServerOptions,
  HttpExecutor,
  UUID,
} from "builder-util-runtime";
import type { AppUpdater, Logger, UpdateCheckResult } from "electron-updater";
import { AppImageUpdater, NsisUpdater } from "electron-updater";
import type { AppAdapter } from "electron-updater/out/AppAdapter.js";
import { GenericProvider } from "electron-updater/out/providers/GenericProvider.js";
import type { ProviderPlatform, ProviderRuntimeOptions } from "electron-updater/out/providers/Provider.js";
import { stringify } from "yaml";

/**
 * Which of electron-updater's updaters to run. Both work in plain Node on any OS:
 * - `nsis`: NsisUpdater reading `{channel}.yml`; the installed version's installer sits in the
 *   updater cache as `installer.exe` (as the NSIS installer leaves it), and a differential download
 *   fetches the old and new `.blockmap` files, then the changed blocks with multi-range requests.
 * - `appimage`: AppImageUpdater reading `{channel}-linux.yml`; the installed AppImage is named by
 *   $APPIMAGE, and a differential download reads both blockmaps embedded in the AppImages (a Range
 *   request for the tail of the new one), then the changed blocks with multi-range requests.
 */
export type UpdaterTarget = "nsis" | "appimage";

const TARGET_PLATFORM: Record<UpdaterTarget, ProviderPlatform> = { nsis: "win32", appimage: "linux" };

export interface UpdaterDriverOptions {
  target: UpdaterTarget;
  /** The generic provider's base URL. A query (e.g. `?company_code=`) is repeated on every request. */
  feedUrl: string;
  channel: string;
  /** The version the "installed" app runs. */
  appVersion: string;
  appName?: string;
  /** Sent with every request, e.g. `{ authorization: "Bearer <installation token>" }`. */
  requestHeaders?: Record<string, string>;
  /** A UUID written to `<userData>/.updaterId`: electron-updater's staged-rollout identity. */
  stagingUserId?: string;
  /** Where userData, the updater cache and app-update.yml live (default: a fresh temp dir). */
  workDir?: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  /** The Range header sent, if any. */
  range: string | null;
  status: number | null;
  contentType: string | null;
  /** Response body bytes received. */
  bytes: number;
  /** The response body was read to its end. */
  complete: boolean;
}

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  message: string;
}

/** node:http/https in place of Electron's `net`; records every request it makes. */
export class RecordingHttpExecutor extends HttpExecutor<ClientRequest> {
  readonly requests: RecordedRequest[] = [];
  // A connection per request: HttpExecutor adds a socket timeout listener per request, which would
  // pile up on kept-alive sockets (and could abort a later request on the same socket).
  private readonly httpAgent = new HttpAgent({ keepAlive: false });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: false });

  override createRequest(
    options: RequestOptions,
    callback: (response: IncomingMessage) => void,
  ): ClientRequest {
    const record: RecordedRequest = {
      method: options.method ?? "GET",
      url: `${options.protocol ?? "http:"}//${options.hostname}${options.port ? `:${options.port}` : ""}${options.path ?? "/"}`,
      range: rangeHeader(options.headers),
      status: null,
      contentType: null,
      bytes: 0,
      complete: false,
    };
    this.requests.push(record);
    const https = options.protocol === "https:";
    const send = https ? httpsRequest : httpRequest;
    return send({ ...options, agent: https ? this.httpsAgent : this.httpAgent }, (response) => {
      record.status = response.statusCode ?? null;
      record.contentType = headerValue(response.headers["content-type"]);
      // Every consumer in electron-updater attaches its own listeners synchronously in `callback`,
      // so counting here loses nothing. handleResponse may switch the stream to utf8 strings.
      response.on("data", (chunk: Buffer | string) => {
        record.bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      });
      response.on("end", () => {
        record.complete = true;
      });
      callback(response);
    });
  }

  /** What ElectronHttpExecutor.download does: stream to a file, verifying sha512 on the way. */
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error ? reject(error) : resolve(destination)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

/** electron-updater spells it `range` or `Range`, depending on the code path. */
function rangeHeader(headers: RequestOptions["headers"]): string | null {
  if (!headers || Array.isArray(headers)) return null;
  const record = headers as Record<string, string | number | readonly string[] | undefined>;
  return headerValue(record.range ?? record.Range);
}

function headerValue(value: string | number | readonly string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/**
 * electron-updater's GenericProvider with the platform fixed: the provider picks the channel file
 * (`{channel}.yml` for win32, `{channel}-linux.yml` …) from the platform it runs on, so an NSIS
 * client on a Linux test machine would otherwise ask for the Linux file. Plugged in through the
 * public `custom` provider option, so setFeedURL and everything after it stay electron-updater's.
 */
function genericProviderOn(platform: ProviderPlatform, feed: GenericServerOptions) {
  return class PlatformGenericProvider extends GenericProvider {
    constructor(_options: CustomPublishOptions, updater: AppUpdater, runtimeOptions: ProviderRuntimeOptions) {
      super(feed, updater, { ...runtimeOptions, platform });
    }
  };
}

export class UpdaterDriver {
  readonly target: UpdaterTarget;
  readonly updater: NsisUpdater | AppImageUpdater;
  readonly executor = new RecordingHttpExecutor();
  readonly logs: LogEntry[] = [];
  readonly workDir: string;
  /** electron-updater's cache dir for this app (`baseCachePath/updaterCacheDirName`). */
  readonly cacheDir: string;
  /** The installed AppImage ($APPIMAGE), once installPrevious put one there. */
  private installedAppImage: string | null = null;
  private readonly ownsWorkDir: boolean;

  private constructor(options: UpdaterDriverOptions, workDir: string, ownsWorkDir: boolean) {
    this.target = options.target;
    this.workDir = workDir;
    this.ownsWorkDir = ownsWorkDir;
    const appName = options.appName ?? "Nexus";
    const cacheDirName = `${appName.toLowerCase()}-updater`;
    this.cacheDir = join(workDir, "cache", cacheDirName);
    const app: AppAdapter = {
      version: options.appVersion,
      name: appName,
      isPackaged: true,
      appUpdateConfigPath: join(workDir, "resources", "app-update.yml"),
      userDataPath: join(workDir, "user-data"),
      baseCachePath: join(workDir, "cache"),
      whenReady: () => Promise.resolve(),
      relaunch: () => {},
      quit: () => {},
      onQuit: () => {},
    };
    // No options here: the constructor would create the provider before httpExecutor is set.
    this.updater = options.target === "nsis" ? new NsisUpdater(null, app) : new AppImageUpdater(null, app);
    // `httpExecutor` is electron-updater's internal (absent from its .d.ts); the provider and the
    // downloaders read it, and the provider captures it in setFeedURL, hence before that.
    Object.assign(this.updater, { httpExecutor: this.executor });
    this.updater.logger = this.recordingLogger();
    this.updater.autoDownload = false;
    this.updater.autoInstallOnAppQuit = false;
    this.updater.requestHeaders = options.requestHeaders ?? null;
    const feed: GenericServerOptions = {
      provider: "generic",
      url: options.feedUrl,
      channel: options.channel,
    };
    const custom: CustomPublishOptions = {
      provider: "custom",
      updateProvider: genericProviderOn(TARGET_PLATFORM[options.target], feed),
    };
    this.updater.setFeedURL(custom);
  }

  static async create(options: UpdaterDriverOptions): Promise<UpdaterDriver> {
    const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), "nexus-updater-")));
    const driver = new UpdaterDriver(options, workDir, options.workDir === undefined);
    await mkdir(join(workDir, "resources"), { recursive: true });
    await mkdir(join(workDir, "user-data"), { recursive: true });
    await mkdir(driver.cacheDir, { recursive: true });
    // What electron-builder writes into the app's resources; electron-updater reads the cache dir
    // name from it (the provider comes from setFeedURL above).
    await writeFile(
      join(workDir, "resources", "app-update.yml"),
      stringify({
        provider: "generic",
        url: options.feedUrl,
        channel: options.channel,
        updaterCacheDirName: basename(driver.cacheDir),
      }),
    );
    if (options.stagingUserId !== undefined) {
      if (!UUID.check(options.stagingUserId)) throw new Error(`${options.stagingUserId} is not a UUID`);
      await writeFile(join(workDir, "user-data", ".updaterId"), options.stagingUserId);
    }
    return driver;
  }

  get requests(): readonly RecordedRequest[] {
    return this.executor.requests;
  }

  /**
   * Makes `installerOrAppImage` the installed version's file, where electron-updater looks for the
   * old bytes of a differential download: `<cacheDir>/installer.exe` for NSIS, $APPIMAGE for AppImage.
   */
  async installPrevious(installerOrAppImage: string): Promise<string> {
    if (this.target === "nsis") {
      const installed = join(this.cacheDir, CURRENT_APP_INSTALLER_FILE_NAME);
      await copyFile(installerOrAppImage, installed);
      return installed;
    }
    await mkdir(join(this.workDir, "installed"), { recursive: true });
    const installed = join(this.workDir, "installed", basename(installerOrAppImage));
    await copyFile(installerOrAppImage, installed);
    this.installedAppImage = installed;
    return installed;
  }

  /** The channel file, parsed; throws electron-updater's error if it cannot be fetched or read. */
  async checkForUpdates(): Promise<UpdateCheckResult> {
    const result = await this.withAppImageEnv(() => this.updater.checkForUpdates());
    if (!result) throw new Error("electron-updater is inactive (not packaged, or no $APPIMAGE)");
    return result;
  }

  /** Downloads the update found by checkForUpdates; resolves to the verified file's path(s). */
  downloadUpdate(): Promise<string[]> {
    return this.withAppImageEnv(() => this.updater.downloadUpdate());
  }

  /** Log lines and requests recorded from now on (pass to `transferSummary`). */
  mark(): { requests: number; logs: number } {
    return { requests: this.executor.requests.length, logs: this.logs.length };
  }

  since(mark: { requests: number; logs: number }): { requests: RecordedRequest[]; logs: LogEntry[] } {
    return { requests: this.executor.requests.slice(mark.requests), logs: this.logs.slice(mark.logs) };
  }

  async dispose(): Promise<void> {
    if (this.ownsWorkDir) await rm(this.workDir, { recursive: true, force: true });
  }

  /**
   * AppImageUpdater takes the installed file from $APPIMAGE (and is inactive without it). Set only
   * around its calls, so nothing else in the process sees it; before installPrevious it names a
   * file that does not exist, which makes a differential download fall back as on a fresh install.
   */
  private async withAppImageEnv<T>(run: () => Promise<T>): Promise<T> {
    if (this.target !== "appimage") return run();
    const previous = process.env.APPIMAGE;
    process.env.APPIMAGE = this.installedAppImage ?? join(this.workDir, "installed", "missing.AppImage");
    try {
      return await run();
    } finally {
      if (previous === undefined) delete process.env.APPIMAGE;
      else process.env.APPIMAGE = previous;
    }
  }

  private recordingLogger(): Logger {
    const record = (level: LogEntry["level"]) => (message?: unknown) => {
      this.logs.push({ level, message: message instanceof Error ? String(message.stack) : String(message) });
    };
    return { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") };
  }
}

export interface TransferSummary {
  requests: number;
  /** Response body bytes of every request (channel file, blockmaps, artifact). */
  bytes: number;
  /** Bytes of the artifact itself (full or ranged GETs of `artifactName`). */
  artifactBytes: number;
  /** GETs of the artifact without a Range header. */
  fullArtifactGets: RecordedRequest[];
  /** Requests with more than one range in their Range header. */
  multiRangeRequests: RecordedRequest[];
  blockmapRequests: RecordedRequest[];
  /** electron-updater logged that it gave up on the differential download. */
  fellBackToFull: boolean;
  /** The "Full: … To download: … (n%)" line of the differential downloader, if it got that far. */
  differentialPlan: string | null;
}

export function transferSummary(
  recorded: { requests: readonly RecordedRequest[]; logs: readonly LogEntry[] },
  artifactName: string,
): TransferSummary {
  const isArtifact = (request: RecordedRequest) =>
    decodeURIComponent(new URL(request.url).pathname).endsWith(`/${artifactName}`);
  const artifact = recorded.requests.filter(isArtifact);
  return {
    requests: recorded.requests.length,
    bytes: recorded.requests.reduce((sum, request) => sum + request.bytes, 0),
    artifactBytes: artifact.reduce((sum, request) => sum + request.bytes, 0),
    fullArtifactGets: artifact.filter((request) => request.method === "GET" && request.range === null),
    multiRangeRequests: recorded.requests.filter((request) => request.range?.includes(",") ?? false),
    blockmapRequests: recorded.requests.filter((request) =>
      new URL(request.url).pathname.endsWith(".blockmap"),
    ),
    fellBackToFull: recorded.logs.some((entry) => entry.message.includes("fallback to full download")),
    differentialPlan:
      recorded.logs.find((entry) => /^Full: .* To download: /.test(entry.message))?.message ?? null,
  };
}
