// A report delivered by email through a real SMTP server on 127.0.0.1: the MIME message is
// parsed (mailparser), its HTML opened in Chromium with the chart image the message
// carries (screenshot, and the chart's pixels counted), its PDF read with poppler
// (pdftotext, pdftoppm) and its Excel attachment with exceljs. Then the publish rules:
// a 4xx answer is retried, an oversized message is refused before sending, a missing SMTP
// connection skips an optional delivery, and a failed error check holds it back.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Attachment } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import { launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { OWNER_EMAIL_SETTING, OWNER_NAME_SETTING } from '../../runner/store/metadata-store.ts';
import { copyWorkflow, EXAMPLE_CHURN, tempHome } from '../helpers/home.ts';
import { startMailServer, type MailServer } from '../helpers/mail-server.ts';
import { openTestEngine } from '../helpers/workflows.ts';
import { addSmtpConnection, reportWorkflow } from './report-fixtures.ts';

let mail: MailServer;
let engine: Engine;
let browser: Browser;

const email = (extra: Record<string, unknown> = {}) => ({
  id: 'email_summary',
  kind: 'publish',
  inputs: ['summary'],
  destination: { type: 'email', connection: 'smtp', to: ['ana@example.com', 'owner'], cc: 'ben@example.com', subject: 'Scores {{date}}: {{mean_score|percent:1}}', attach: ['pdf', 'scores.csv', 'scores.xlsx'], ...extra },
});

beforeAll(async () => {
  mail = await startMailServer();
  engine = await openTestEngine('report-email');
  addSmtpConnection(engine, mail.port);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await engine?.close();
  await mail?.close();
});
beforeEach(() => {
  mail.mails.length = 0;
  mail.onArrival = undefined;
});

function poppler(tool: string, args: string[]): string {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${tool} is missing: install poppler-utils (npm test does)`);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('a report by email (real SMTP server on loopback)', () => {
  it('arrives once as HTML with the chart, a PDF poppler reads, and the tables as CSV and Excel', async () => {
    const folder = reportWorkflow({ owner: { name: 'Zoë Lima', email: 'zoe@example.com' }, deliveries: [email()] });
    const run = await engine.run(folder, { trigger: 'test' });
    expect(run.status, run.error).toBe('succeeded');
    expect(run.nodes.find((n) => n.nodeId === 'email_summary')?.status).toBe('succeeded');
    expect(run.publications).toEqual([expect.objectContaining({ nodeId: 'email_summary', destination: 'email', target: 'email to ana@example.com, zoe@example.com' })]);
    expect(engine.deliveries.forRun(run.id)).toEqual([expect.objectContaining({ state: 'sent', attempts: 1 })]);

    const [received] = await mail.waitFor(1);
    expect(mail.mails).toHaveLength(1);
    expect(received!.to.sort()).toEqual(['ana@example.com', 'ben@example.com', 'zoe@example.com']);
    const parsed = await mail.parse(0);
    const mean = run.metrics.find((m) => m.nodeId === 'mean_score')!.value!;
    expect(parsed.subject).toBe(`Scores ${new Date().toISOString().slice(0, 10)}: ${(mean * 100).toFixed(1)}%`);
    expect(parsed.from?.value).toEqual([{ name: 'Aqueduct reports', address: 'reports@example.com' }]);
    expect(parsed.text).toContain(`The mean score is ${mean.toFixed(3)}`);
    const html = String(parsed.html);
    expect(html).toContain(`<h1>Scores: mean ${(mean * 100).toFixed(1)}%</h1>`);
    expect(html).toContain('first 10 of 300 rows');
    expect(html).not.toMatch(/<script/i);
    const byName: Record<string, Attachment> = Object.fromEntries(parsed.attachments.map((a) => [a.filename ?? '', a]));
    expect(Object.keys(byName).sort()).toEqual([`Scores-mean-${(mean * 100).toFixed(1)}.pdf`, 'chart-1.png', 'scores.csv', 'scores.xlsx'].sort());
    const chart = byName['chart-1.png']!;
    expect(chart.contentType).toBe('image/png');
    expect(html).toContain(`src="cid:${chart.cid}"`);

    // the HTML as a mail client shows it: cid: images from the message's parts
    const shown = html.replaceAll(`cid:${chart.cid}`, `data:image/png;base64,${chart.content.toString('base64')}`);
    const page = await browser.newPage({ viewport: { width: 900, height: 1100 } });
    await page.setContent(shown);
    const img = page.getByRole('img', { name: 'Customers by band' });
    await img.waitFor();
    // the bars of the chart, in Vega's default blue, counted in the image as drawn
    const bluePixels = await img.evaluate(async (el: HTMLImageElement) => {
      await el.decode();
      const c = document.createElement('canvas');
      c.width = el.naturalWidth;
      c.height = el.naturalHeight;
      const g = c.getContext('2d')!;
      g.drawImage(el, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - 76) < 12 && Math.abs(d[i + 1]! - 120) < 12 && Math.abs(d[i + 2]! - 168) < 12) n++;
      return n;
    });
    expect(bluePixels).toBeGreaterThan(5000);
    expect(await page.getByRole('table').getByRole('row').count()).toBe(11);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-email.png'), fullPage: true });
    await page.close();

    // the PDF, read by poppler
    const dir = tempHome('report-email-pdf');
    const pdf = path.join(dir, 'report.pdf');
    fs.writeFileSync(pdf, Object.values(byName).find((a) => a.contentType === 'application/pdf')!.content);
    const text = poppler('pdftotext', ['-layout', pdf, '-']);
    expect(text).toContain(`Scores: mean ${(mean * 100).toFixed(1)}%`);
    expect(text).toContain('Zoë Lima');
    expect(text).toContain('Customers by band');
    expect(text).toMatch(/customers/); // the chart's axis title, drawn as vector text
    expect(text).toContain('first 10 of 300 rows');
    poppler('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', pdf, path.join(dir, 'page')]);
    expect(fs.statSync(path.join(dir, 'page-1.png')).size).toBeGreaterThan(3000);

    // the whole table, not just the rows the report shows
    expect(byName['scores.csv']!.content.toString().trim().split('\n')).toHaveLength(301);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(byName['scores.xlsx']!.content as unknown as ArrayBuffer);
    expect(wb.getWorksheet('scores')!.rowCount).toBe(301);
  });

  it('sends the example\'s churn report to the owner once an SMTP connection named smtp exists', async () => {
    const folder = copyWorkflow(EXAMPLE_CHURN, 'report-email-example');
    engine.store.setSetting(OWNER_NAME_SETTING, 'Ana Lima');
    engine.store.setSetting(OWNER_EMAIL_SETTING, 'ana@example.com');
    try {
      const run = await engine.run(folder, { trigger: 'test' });
      expect(run.status, run.error).toBe('succeeded');
      expect(run.nodes.find((n) => n.nodeId === 'email_report')?.status).toBe('succeeded');
      const [received] = await mail.waitFor(1);
      expect(received!.to).toEqual(['ana@example.com']);
      const parsed = await mail.parse(0);
      const mean = run.metrics.find((m) => m.nodeId === 'mean_churn_probability')!.value!;
      expect(parsed.subject).toBe(`Churn this week: ${(mean * 100).toFixed(1)}% (2,000 customers)`);
      expect(parsed.attachments.map((a) => a.filename).sort()).toEqual(['chart-1.png', `Customer-churn-${(mean * 100).toFixed(1)}-expected-to-leave.pdf`, 'predictions.csv'].sort());
      const chart = parsed.attachments.find((a) => a.filename === 'chart-1.png')!;
      const page = await browser.newPage({ viewport: { width: 860, height: 1000 } });
      await page.setContent(String(parsed.html).replaceAll(`cid:${chart.cid}`, `data:image/png;base64,${chart.content.toString('base64')}`));
      await page.getByRole('img', { name: 'Customers by risk band' }).evaluate((img: HTMLImageElement) => img.decode());
      await page.screenshot({ path: path.join(SCREENSHOTS, 'report-email-churn.png'), fullPage: true });
      await page.close();
    } finally {
      engine.store.setSetting(OWNER_EMAIL_SETTING, '');
    }
  });

  it('retries a "451 try again later" and the report arrives once', async () => {
    mail.deferNext(1);
    const run = await engine.run(reportWorkflow({ deliveries: [email({ to: ['ana@example.com'], cc: undefined, attach: [] })] }), { trigger: 'test' });
    expect(run.status, run.error).toBe('succeeded');
    await mail.waitFor(1);
    expect(mail.mails).toHaveLength(1);
    const logs = engine.store.getLogs(run.id, 'email_summary').map((l) => l.line).join('\n');
    expect(logs).toMatch(/said to try later \(451 try again later\); trying again in 1 s \(attempt 2 of 3\)/);
    expect(engine.deliveries.forRun(run.id)[0]).toMatchObject({ state: 'sent' });
  });

  it('retries when the connection is reset, and the report arrives once', async () => {
    // in front of the mail server: the first connection is reset at once, the next ones pass through
    let resets = 0;
    const front = net.createServer((sock) => {
      if (resets++ === 0) return void sock.resetAndDestroy();
      const back = net.connect(mail.port, '127.0.0.1');
      sock.pipe(back).pipe(sock);
      back.on('error', () => sock.destroy());
      sock.on('error', () => back.destroy());
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    addSmtpConnection(engine, (front.address() as AddressInfo).port, 'flaky_smtp');
    try {
      const run = await engine.run(reportWorkflow({ deliveries: [email({ connection: 'flaky_smtp', to: ['ana@example.com'], cc: undefined, attach: [] })] }), { trigger: 'test' });
      expect(run.status, run.error).toBe('succeeded');
      await mail.waitFor(1);
      expect(mail.mails).toHaveLength(1);
      expect(resets).toBe(2);
      expect(engine.store.getLogs(run.id, 'email_summary').map((l) => l.line).join('\n')).toMatch(/could not talk to the mail server 127\.0\.0\.1:\d+ \(.*\); trying again in 1 s \(attempt 2 of 3\)/);
    } finally {
      front.close();
    }
  });

  it('never sends the login of an SMTP connection in plain text, unless allowed for a server on this machine', async () => {
    addSmtpConnection(engine, mail.port, 'plain_smtp', false);
    const run = await engine.run(reportWorkflow({ deliveries: [email({ connection: 'plain_smtp', to: ['ana@example.com'], cc: undefined, attach: [] })] }), { trigger: 'test' });
    expect(run.status).toBe('failed');
    const node = run.nodes.find((n) => n.nodeId === 'email_summary')!;
    expect(node.error?.message).toMatch(/^email delivery of report "summary" failed: the mail server 127\.0\.0\.1:\d+ offers no TLS, so the login was not sent$/);
    expect(node.error?.fix).toMatch(/TLS/);
    expect(mail.mails).toHaveLength(0);
  });

  it('refuses a message over its size limit before sending, naming the sizes', async () => {
    const run = await engine.run(reportWorkflow({ rows: 20_000, deliveries: [email({ to: ['ana@example.com'], cc: undefined, attach: ['pdf', 'scores.csv'], max_size_mb: 0.1 })] }), { trigger: 'test' });
    expect(run.status).toBe('failed');
    const node = run.nodes.find((n) => n.nodeId === 'email_summary')!;
    expect(node.error?.message).toMatch(/^email delivery of report "summary" failed: the email would be \d+ KB, over its limit of 102 KB \(the report \d+ KB, Scores-mean-.*\.pdf \d+ KB, scores\.csv \d+ KB; attachments grow by a third when encoded\)$/);
    expect(node.error?.fix).toContain('max_size_mb');
    expect(engine.deliveries.forRun(run.id)[0]).toMatchObject({ state: 'failed' });
    expect(mail.mails).toHaveLength(0);
  });

  it('skips an optional email delivery when no SMTP connection is configured, and fails a required one', async () => {
    const optional = await engine.run(reportWorkflow({ deliveries: [email({ connection: 'team_mail', optional: true })] }), { trigger: 'test' });
    expect(optional.status).toBe('succeeded');
    expect(optional.nodes.find((n) => n.nodeId === 'email_summary')).toMatchObject({
      status: 'skipped',
      error: { message: 'not sent: no SMTP connection "team_mail" is configured: add one under Connections (type smtp), then run again' },
    });
    const required = await engine.run(reportWorkflow({ deliveries: [email({ connection: 'team_mail' })] }), { trigger: 'test' });
    expect(required.status).toBe('failed');
    expect(required.nodes.find((n) => n.nodeId === 'email_summary')?.error).toMatchObject({ message: 'destination.connection "team_mail" is not a saved connection' });
    expect(mail.mails).toHaveLength(0);
  });

  it('is held back when an error check fails, like every publish', async () => {
    const run = await engine.run(
      reportWorkflow({
        deliveries: [email({ to: ['ana@example.com'], cc: undefined })],
        extraNodes: [{ id: 'enough_rows', kind: 'check', inputs: ['scores'] }],
        extraFiles: { 'nodes/enough_rows.sql': 'SELECT count(*) > 1000000 FROM scores\n' },
      }),
      { trigger: 'test' },
    );
    expect(run.status).toBe('failed');
    expect(run.nodes.find((n) => n.nodeId === 'summary')?.status).toBe('succeeded');
    expect(run.nodes.find((n) => n.nodeId === 'email_summary')).toMatchObject({ status: 'skipped', error: { message: 'not published: check enough_rows failed' } });
    expect(engine.deliveries.forRun(run.id)).toEqual([]);
    expect(mail.mails).toHaveLength(0);
  });
});
