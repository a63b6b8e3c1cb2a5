/** The HTML report of an `explain` story, and writing it to a file. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExplainError } from '../explain/errors.js';
import type { DeploymentStory } from '../explain/story.js';
import { viewOfStory } from './from-story.js';
import { renderHtml } from './render-html.js';

export function storyHtmlReport(story: DeploymentStory): string {
  return renderHtml(viewOfStory(story));
}

export async function writeStoryReport(file: string, story: DeploymentStory): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, storyHtmlReport(story));
  } catch (error) {
    // An unwritable path is the user's to fix: one line naming the file.
    throw new ExplainError(`cannot write report ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
