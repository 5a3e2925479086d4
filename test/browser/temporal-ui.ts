/**
 * The on-call engineer's moves in the Temporal Web UI (2.42, embedded in the CLI's dev server), by what the page shows:
 * the workflow list filtered by a visibility query, a row's workflow ID link, the workflow page's tabs, and the User
 * Metadata panels ("Summary", "Details", "Current Details") — which the UI renders as markdown inside an iframe, so
 * their text and structure (headings, list items, code spans) are read from that frame.
 */
import type { FrameLocator, Page } from 'playwright-core';

/** A single-page app on a 2-core machine: the first load compiles a lot of JavaScript. */
export const UI_TIMEOUT_MS = 60_000;

/** Opens the namespace's workflow list filtered by `query` (what typing it into the list's filter does). */
export async function openWorkflowList(page: Page, uiUrl: string, namespace: string, query: string): Promise<void> {
  await page.goto(`${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`, {
    waitUntil: 'domcontentloaded',
    timeout: UI_TIMEOUT_MS,
  });
}

/** Waits for the list's row of `workflowId`; returns the row's text (status, workflow ID, run ID, type, times). */
export async function waitForWorkflowRow(page: Page, workflowId: string): Promise<string> {
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: workflowId, exact: true }) });
  await row.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return row.first().innerText();
}

/** Clicks the workflow ID link in the list; resolves once the workflow's own page shows its ID as the heading. */
export async function openWorkflowFromList(page: Page, workflowId: string): Promise<void> {
  await page.getByRole('link', { name: workflowId, exact: true }).first().click();
  await page.getByRole('heading', { name: workflowId }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** Selects one of the workflow page's tabs ("History", "User Metadata", "Search Attributes", …). */
export async function openTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await tab.click();
}

/** The User Metadata tab's panels: the static summary, the static details, the current details. */
export type MetadataPanel = 'Summary' | 'Details' | 'Current Details';

/** A rendered panel of the open workflow's User Metadata tab, found by its heading: the frame below it. */
export function metadataPanel(page: Page, heading: MetadataPanel): FrameLocator {
  return page
    .getByRole('heading', { name: heading, exact: true })
    .locator('xpath=ancestor::div[.//iframe][1]')
    .locator('iframe[title="output"]')
    .contentFrame();
}

/** Waits until a User Metadata panel shows text matching `pattern`; returns the panel's whole text. */
export async function waitForPanelText(page: Page, heading: MetadataPanel, pattern: RegExp): Promise<string> {
  const frame = metadataPanel(page, heading);
  await frame.getByText(pattern).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return frame.locator('body').innerText();
}

/** Waits until the page shows `text` (a substring) somewhere visible. */
export async function waitForText(page: Page, text: string | RegExp): Promise<void> {
  await page.getByText(text).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** What a rendered panel's markdown became: its headings, list items and code spans, each as the text shown. */
export interface PanelStructure {
  headings: string[];
  items: string[];
  code: string[];
  paragraphs: string[];
}

/** The structure of a User Metadata panel as rendered (call after waitForPanelText). */
export async function panelStructure(page: Page, heading: MetadataPanel): Promise<PanelStructure> {
  const frame = metadataPanel(page, heading);
  return {
    headings: await frame.locator('h1, h2, h3, h4, h5, h6').allInnerTexts(),
    items: await frame.locator('li').allInnerTexts(),
    code: await frame.locator('code').allInnerTexts(),
    paragraphs: await frame.locator('p').allInnerTexts(),
  };
}
