"""Reports (desist report): each kind renders in a real browser, headless Chromium
driven over the DevTools protocol, with every chart drawn, nothing fetched from
anywhere but the file itself, and no console errors; a screenshot of each is
kept (in $DESIST_REPORT_SCREENSHOTS when set) for a person to look at."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import h5py
import numpy as np
import pytest

import desist
import desist.report
from conftest import BASELINE, ROOT

OPTIONS = ROOT / "scenarios" / "options"
SWEEP = ROOT / "tests" / "data" / "sweeps" / "small.yaml"
CONTRACT = ROOT / "scenarios" / "contracts" / "peterborough_sib.yaml"
KINDS = ["run", "comparison", "sweep", "contract"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGE_TIMEOUT_S = 60


# --------------------------------------------------------------------- results files


@pytest.fixture(scope="module")
def files(tmp_path_factory, cli):
    """A run, a comparison, a sweep and a contract file, small enough for seconds."""
    d = tmp_path_factory.mktemp("reports")
    small = ["--set", "cohort.size=3000", "--threads", "2", "--quiet"]
    cli("run", BASELINE, "--replicates", "3", "--seed", "4", "--out", d / "run.h5", *small)
    cli("compare", BASELINE, OPTIONS / "housing_ttg.yaml", OPTIONS / "mentoring.yaml", "--replicates", "3",
           "--seed", "4", "--out", d / "comparison.h5", *small)
    cli("sweep", SWEEP, "--out", d / "sweep.h5", "--threads", "2", "--quiet")
    # A larger pool than the contract's own: its cohorts and power curve need more eligible people.
    cli("pbr", CONTRACT, "--replicates", "3", "--scenario-set", "cohort.size=80000", "--out", d / "contract.h5",
        "--threads", "2", "--quiet")
    return {kind: d / f"{kind}.h5" for kind in KINDS}


@pytest.fixture(scope="module")
def cli(desist_bin):
    def run(*args):
        done = subprocess.run([str(desist_bin), *map(str, args)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done

    return run


# --------------------------------------------------------------------- a browser


class Browser:
    """Headless Chromium with one page, spoken to over the DevTools protocol."""

    def __init__(self, profile: str) -> None:
        import websocket  # websocket-client

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-first-run",
             "--disable-extensions", "--remote-debugging-port=0", f"--user-data-dir={profile}",
             "--window-size=1100,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        endpoint = None
        deadline = time.monotonic() + PAGE_TIMEOUT_S
        while endpoint is None and time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                raise RuntimeError("Chromium exited before it listened")
            m = re.search(r"DevTools listening on (ws://[^/]+)/", line)
            endpoint = m and m.group(1)
        if endpoint is None:
            raise RuntimeError("Chromium did not start")
        with urllib.request.urlopen(endpoint.replace("ws://", "http://") + "/json/list", timeout=10) as r:
            page = next(t for t in json.load(r) if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=PAGE_TIMEOUT_S)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str) -> None:
        while not any(e.get("method") == event for e in self.events):
            self.events.append(json.loads(self.socket.recv()))

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: scripts/install-deps installs Debian's chromium")
    with tempfile.TemporaryDirectory() as profile:
        b = Browser(profile)
        yield b
        b.close()


def _problems(events: list[dict]) -> list[str]:
    """Console errors, uncaught exceptions, failed loads and requests for anything outside the file."""
    out = []
    for e in events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            out.append(f"exception: {p['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            out.append(f"console {p['type']}: {[a.get('value') for a in p.get('args', [])]}")
        elif method == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
            out.append(f"log {p['entry']['level']}: {p['entry']['text']}")
        elif method == "Network.requestWillBeSent" and not p["request"]["url"].startswith(("file:", "data:")):
            out.append(f"network request: {p['request']['url']}")
        elif method == "Network.loadingFailed":
            out.append(f"load failed: {p.get('errorText')}")
    return out


def _render(browser: Browser, html: Path, screenshot: Path) -> dict:
    """Loads the page; returns what it shows and what went wrong; writes a full-page screenshot."""
    browser.events.clear()
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.call(f"{domain}.enable")
    browser.call("Page.navigate", url=html.as_uri())
    browser.wait_for("Page.loadEventFired")
    shown = browser.call("Runtime.evaluate", returnByValue=True, expression="""(() => {
        const charts = [...document.querySelectorAll('figure.chart img')];
        return {charts: charts.length,
                drawn: charts.filter(i => i.complete && i.naturalWidth > 100 && i.naturalHeight > 100).length,
                missing_alt: charts.filter(i => !i.alt).length,
                tables: document.querySelectorAll('table').length,
                summary: document.querySelector('.summary').innerText,
                height: document.documentElement.scrollHeight};
    })()""")["result"]["value"]
    browser.call("Emulation.setDeviceMetricsOverride", width=1100, height=int(shown["height"]), deviceScaleFactor=1,
                 mobile=False)
    png = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
    import base64

    screenshot.write_bytes(base64.b64decode(png))
    browser.call("Emulation.clearDeviceMetricsOverride")
    shown["problems"] = _problems(browser.events)
    return shown


def _screenshot_dir(tmp_path: Path) -> Path:
    d = Path(os.environ.get("DESIST_REPORT_SCREENSHOTS", tmp_path))
    d.mkdir(parents=True, exist_ok=True)
    return d


# The charts each kind of report draws (report.py): run: survival, custody;
# comparison: rates, survival, custody, cost-effectiveness plane, ledger;
# sweep (latin hypercube, one option): a tornado per output analysed;
# contract: the payment distribution and the power curve.
EXPECTED_CHARTS = {"run": 2, "comparison": 5, "contract": 2}


@pytest.mark.parametrize("kind", KINDS)
def test_report_renders_in_chromium_with_every_chart_and_no_errors(kind, files, browser, tmp_path):
    html = tmp_path / f"{kind}.html"
    desist.report.write_report(files[kind], html)
    text = html.read_text(encoding="utf-8")
    # Self-contained: no scripts and nothing fetched (the browser checks the fetching too).
    assert "<script" not in text and not re.search(r"""(src|href)=["']?(https?:)?//""", text)

    shown = _render(browser, html, _screenshot_dir(tmp_path) / f"report-{kind}.png")
    assert shown["problems"] == []
    expected = EXPECTED_CHARTS.get(kind)
    if kind == "sweep":
        expected = len(set(desist.open_sweep(files[kind]).tornado["output"]))
    assert shown["charts"] == expected and shown["drawn"] == expected and shown["missing_alt"] == 0
    assert shown["tables"] >= 2 and shown["height"] > 1500


def test_summary_states_the_numbers_of_the_file(files):
    """The plain-language summary quotes the file's own estimates."""
    comparison = desist.open(files["comparison"])
    html = desist.report.render(files["comparison"])
    for key, name in comparison.options.items():
        averted = comparison.table().loc[(key, "reoffenders_averted")]
        sentence = (f"“{name}” prevents an estimated {desist.report._number(averted['mean'])} (95% interval "
                    f"{desist.report._number(averted['ci_low'])} to {desist.report._number(averted['ci_high'])}) "
                    "reoffenders")
        assert sentence.replace("“", "&#8220;").replace("”", "&#8221;") in html or sentence in html
    with h5py.File(files["contract"], "r") as f:
        evaluation = json.loads(f.attrs["evaluation"])
        payments = f["per_replicate/outcome_payments"][()]
    assert np.isclose(evaluation["outcome_payments"]["mean"], payments.mean())
    paid = desist.report._estimate(evaluation["outcome_payments"], desist.report._pounds)
    assert f"payments come to an expected {paid}" in desist.report.render(files["contract"])
    run = desist.open(files["run"])
    rate = run.summary.loc["binary_rate"]
    assert f"an estimated {100 * rate['mean']:.1f}% (95% interval {100 * rate['ci_low']:.1f}%" \
           in desist.report.render(files["run"])


def test_appendix_lists_the_sources_the_scenario_gives(files):
    sources = desist.report.default_sources(BASELINE.read_text(encoding="utf-8"))
    keys = {k: s for k, _, s in sources}
    # The baseline gives a source beside every number (the project's rule).
    assert "cohort.groups.custody_under_12m.share" in keys and "run.horizon_years" in keys
    assert all(keys.values())
    # The run set cohort.size, so its file holds the scenario re-written without
    # comments: the appendix takes the sources from the scenario file and marks the override.
    html = desist.report.render(files["run"])
    assert "<code>cohort.groups.custody_under_12m.share</code>" in html
    assert "run with overrides (--set cohort.size=3000)" in html
    assert f"overridden by --set: {keys['cohort.size']}" in html


def test_report_of_the_same_file_is_the_same_bytes(files):
    assert desist.report.render(files["sweep"]) == desist.report.render(files["sweep"])


def test_the_command_line_reaches_the_report_and_prints_a_pdf(files, desist_bin, tmp_path):
    out = tmp_path / "comparison.html"
    done = subprocess.run([str(desist_bin), "report", str(files["comparison"]), "-o", str(out), "--pdf"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    pdf = tmp_path / "comparison.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000


def test_a_file_desist_did_not_write_is_refused(tmp_path, desist_bin):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.attrs["program"] = "something else"
    done = subprocess.run([str(desist_bin), "report", str(other), "-o", str(tmp_path / "x.html")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "not a desist results file" in done.stderr
    assert not (tmp_path / "x.html").exists()
