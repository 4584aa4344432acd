import * as vscode from 'vscode';
import type { FamilyReport } from '../shared/webviewProtocol';
import type { ViewState } from '../shared/webviewProtocol';
import { Controller } from './controller';
import { VIEW_TYPE } from './reportPanel';
import { registerWalkthrough } from './walkthrough';
import { keepSpareWorkers } from './workerSpares';

/** What `activate` returns: a small API the integration tests use to read what the panel shows. */
export interface LossInspectorApi {
  reportFor(uri: vscode.Uri): FamilyReport | undefined;
  panelState(uri: vscode.Uri): ViewState | undefined;
  /** Cancels a running computation, as the notification's Cancel button does. */
  cancel(uri: vscode.Uri): void;
}

export function activate(context: vscode.ExtensionContext): LossInspectorApi {
  const controller = new Controller(context);
  // The extension activates on its first command (or a restored panel): that run's workers are started ahead.
  const workerScript = vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath;
  keepSpareWorkers(workerScript, true);
  context.subscriptions.push(
    { dispose: () => keepSpareWorkers(workerScript, false) },
    controller,
    vscode.commands.registerCommand('lossInspector.computeLoss', (uri?: unknown, selected?: unknown) => controller.computeLoss(uri, selected)),
    vscode.commands.registerCommand('lossInspector.compareLoss', (uri?: unknown, selected?: unknown) => controller.compareLoss(uri, selected)),
    ...registerWalkthrough(context, (uri) => controller.computeLoss(uri)),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: unknown) => controller.restore(panel, state),
    }),
  );
  return {
    reportFor: (uri) => controller.reportFor(uri),
    panelState: (uri) => controller.panelState(uri),
    cancel: (uri) => controller.cancel(uri),
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
