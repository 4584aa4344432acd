/**
 * The commands of the first-run walkthrough (`contributes.walkthroughs`): open the sample
 * predictions shipped in the extension, and compute their losses. The walkthrough page is not a
 * text editor, so "Compute Loss" on the active file would find none there: the sample's own
 * command names the file.
 */
import * as vscode from 'vscode';

/** The sample shipped in the .vsix (see .vscodeignore). */
export function sampleUri(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'samples', 'predictions.csv');
}

export function registerWalkthrough(context: vscode.ExtensionContext, computeLoss: (uri: vscode.Uri) => Promise<void>): vscode.Disposable[] {
  const sample = sampleUri(context.extensionUri);
  return [
    vscode.commands.registerCommand('lossInspector.openSample', async () => {
      await vscode.window.showTextDocument(sample, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }),
    vscode.commands.registerCommand('lossInspector.computeSample', () => computeLoss(sample)),
  ];
}
