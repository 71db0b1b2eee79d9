import { UnknownValueError } from "@pulumi/policy";

/** Marks a value that the engine cannot know yet (during preview it depends on a resource not created). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Maybe<T> = T | typeof UNKNOWN;

/**
 * Reads resource properties through the SDK's unknown-checking proxy without losing the whole check on the
 * first unknown value: each read that hits an unknown returns UNKNOWN and is remembered.
 *
 * Why: the SDK turns an escaping UnknownValueError into an advisory "can't run policy during preview". We want to
 * report every violation we can already prove at preview, and only then hand the undecidable rest to that advisory
 * (the engine runs resource policies again with resolved inputs before it changes the resource during `up`).
 */
export class UnknownReads {
  private first: UnknownValueError | undefined;
  private readonly paths: string[] = [];

  read<T>(get: () => T, path = ""): Maybe<T> {
    try {
      return get();
    } catch (e) {
      if (e instanceof UnknownValueError) {
        this.first ??= e;
        this.paths.push(path || (e as Error).message);
        return UNKNOWN;
      }
      throw e;
    }
  }

  get any(): boolean {
    return this.first !== undefined;
  }

  get unknownPaths(): readonly string[] {
    return this.paths;
  }

  /**
   * Rethrows the first unknown so the SDK records "can't run policy during preview"; `up` decides it. Unknowns at
   * paths `ignorable` accepts do not defer (they are still checked at `up`, where they are known).
   */
  deferToUpdate(ignorable: (path: string) => boolean = () => false): void {
    if (this.first && this.paths.some((path) => !ignorable(path))) throw this.first;
  }
}

export function isKnown<T>(v: Maybe<T>): v is T {
  return v !== UNKNOWN;
}
