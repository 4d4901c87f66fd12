// The consortium imports KPI measurements from a CSV file (a bad line
// refused, nothing kept), then the council reads the report and its PDF.
import { Tap, startServer, launch, login, shotPath } from './kavel.mjs';

const t = new Tap();
const srv = await startServer();
const browser = await launch();
try {
  const page = await browser.newPage();
  await login(page, srv.base, 'reporter@gidw.example');
  await page.goto(srv.base + '/contracts');
  const link = page.locator('a', { hasText: 'Gewoon in de Wijk' });
  t.ok(await link.count() === 1, 'the reporter sees its one contract');
  await Promise.all([page.waitForNavigation(), link.click()]);
  const points = async () => page.locator('article.kpi svg circle').count();
  const before = await points();
  t.ok(before > 0, 'the KPI trends are drawn', before);

  const bad = 'kpi;periode;gebied;waarde\n' +
    'Bereik inwoners in een kwetsbare positie (demo);2023-Q3;Schalkwijk;530\n' +
    'Bereik inwoners in een kwetsbare positie (demo);2023-Q3;Schalkwijk;veel\n';
  await page.setInputFiles('#f-csv_file', { name: 'kpi.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await Promise.all([page.waitForNavigation(), page.click('form[enctype="multipart/form-data"][action$="/measurements"] button')]);
  const err = page.locator('.error-summary');
  t.ok(await err.isVisible() && /3/.test(await err.innerText()), 'a bad line is refused with its line number',
    await err.count() ? await err.innerText() : '');
  t.ok(await points() === before, 'and nothing of the file was kept');

  const good = 'kpi;periode;gebied;waarde\n' +
    'Bereik inwoners in een kwetsbare positie (demo);2023-Q3;Schalkwijk;530\n' +
    'Bereik inwoners in een kwetsbare positie (demo);2023-Q4;Schalkwijk;560\n';
  await page.setInputFiles('#f-csv_file', { name: 'kpi.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await Promise.all([page.waitForNavigation(), page.click('form[enctype="multipart/form-data"][action$="/measurements"] button')]);
  t.ok(await points() === before + 2, 'a good file adds its two measurements', await points());

  // The council reads the report.
  const council = await browser.newPage();
  await login(council, srv.base, 'council@haarlem.example');
  await council.goto(srv.base + '/report');
  t.ok(await council.getByText('HLM-GIDW-2022').count() > 0, 'the report lists the contract');
  t.ok(await council.getByText('HLM-2021-GIDW').count() > 0, 'and the procedure');
  t.ok(await council.locator('table').filter({ hasText: '560' }).count() > 0, 'with the newest KPI figure');
  t.ok(await council.locator('form[action="/risks"]').count() === 0, 'the council gets no form to change anything');
  const pdf = await council.request.get(srv.base + '/report/pdf');
  const body = await pdf.body();
  t.ok(pdf.status() === 200 && body.subarray(0, 5).toString() === '%PDF-', 'the report downloads as PDF');
  await council.screenshot({ path: shotPath('report-council-1400.png'), fullPage: true });
} catch (e) {
  t.ok(false, 'browser flow ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
