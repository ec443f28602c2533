/**
 * The one error type that maps to an HTTP answer (in `app.onError`).
 * @example throw new AppError(400, "bad_json", "The body is not valid JSON")
 */
export class AppError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
  readonly code: string;
  constructor(
    status: AppError["status"],
    code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
    this.status = status;
    this.code = code;
  }
}
