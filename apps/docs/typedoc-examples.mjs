// @ts-check
// A TypeDoc plugin that holds every package to "every public export has an `@example`":
// a function, class, variable, interface or type alias without one (on its declaration or one of
// its signatures) is logged as an error, which fails `typedoc` and so the docs build.

import { Application, ReflectionKind } from "typedoc";

const exportKinds =
  ReflectionKind.Function |
  ReflectionKind.Class |
  ReflectionKind.Variable |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias;

/**
 * @param {import("typedoc").Reflection} reflection
 * @returns {boolean}
 */
function hasExample(reflection) {
  const signatures = reflection.isDeclaration() ? (reflection.signatures ?? []) : [];
  const comments = [reflection.comment, ...signatures.map((each) => each.comment)];
  return comments.some((comment) => comment?.getTag("@example") !== undefined);
}

/**
 * `module.name` of each top-level export of `kinds` that lacks an example.
 * @param {import("typedoc").ProjectReflection} project
 * @param {ReflectionKind} kinds
 * @returns {string[]}
 */
function lacking(project, kinds) {
  const names = project
    .getReflectionsByKind(kinds)
    .filter((each) => each.parent?.kindOf(ReflectionKind.SomeModule) === true)
    .filter((each) => !hasExample(each))
    .map((each) => `${each.parent?.name}.${each.name}`);
  return [...new Set(names)].sort();
}

/** @param {Application} app */
export function load(app) {
  // A package with several entry points is validated on its own before the merge: report once.
  const reported = new Set();
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    for (const name of lacking(project, exportKinds)) {
      if (reported.has(name)) continue;
      reported.add(name);
      app.logger.error(`${name} has no @example in its doc comment`);
    }
  });
}
