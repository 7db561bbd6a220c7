/** Placeholder until the package source lands. */
export const version: string = "0.0.0";
