/**
 * `@mxrtc/focus-reference`: a MatrixRTC focus plugin without media, for tests and headless
 * members.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 * @packageDocumentation
 */
export type {
  ReferenceFocusConnection,
  ReferenceFocusConnectionState,
} from "./reference-focus-connection.js";
export type { ReferenceFocusController } from "./reference-focus-controller.js";
export { createReferenceFocusController } from "./reference-focus-controller.js";
export type {
  ReferenceFocusPlugin,
  ReferenceFocusPluginOptions,
} from "./reference-focus-plugin.js";
export { createReferenceFocusPlugin, REFERENCE_FOCUS_TYPE } from "./reference-focus-plugin.js";
