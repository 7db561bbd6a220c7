/** Errors as plain, cloneable data, sent from a worker and revived on the caller's side. */

/** An error as plain, cloneable data. */
export interface SerialisedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly cause?: SerialisedError | { readonly value: unknown };
  readonly props: Record<string, unknown>;
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** `error` as data: name, message, stack, cause (recursively, 8 levels) and own cloneable props. */
export function serialiseError(error: unknown, depth = 0): SerialisedError {
  if (!(error instanceof Error) && !(typeof error === "object" && error !== null)) {
    return { name: "Error", message: String(error), stack: undefined, props: {} };
  }
  const source = error as Error & Record<string, unknown>;
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === "name" || key === "message" || key === "stack" || key === "cause") continue;
    if (cloneable(source[key])) props[key] = source[key];
  }
  const serialised: SerialisedError = {
    name: typeof source.name === "string" ? source.name : "Error",
    message: typeof source.message === "string" ? source.message : String(error),
    stack: typeof source.stack === "string" ? source.stack : undefined,
    props,
  };
  if (!("cause" in source) || depth >= 8) return serialised;
  const cause = source.cause;
  return {
    ...serialised,
    cause:
      typeof cause === "object" && cause !== null
        ? serialiseError(cause, depth + 1)
        : { value: cloneable(cause) ? cause : String(cause) },
  };
}

/** An `Error` rebuilt from {@link serialiseError}'s data, with the original name. */
export function reviveError(data: SerialisedError): Error {
  const cause =
    data.cause === undefined
      ? undefined
      : "value" in data.cause
        ? { cause: data.cause.value }
        : { cause: reviveError(data.cause) };
  const error = new Error(data.message, cause);
  Object.defineProperty(error, "name", { value: data.name, configurable: true, writable: true });
  if (data.stack !== undefined) {
    Object.defineProperty(error, "stack", {
      value: data.stack,
      configurable: true,
      writable: true,
    });
  }
  Object.assign(error, data.props);
  return error;
}
