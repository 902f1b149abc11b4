"""The corpus path on a Dask cluster (scale/cluster.py): a real ``distributed.LocalCluster`` of two
worker processes gives the tables of the local pool, builds the tokenizer once per worker, reports a
bad speech as locally and an unreachable scheduler in one line."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis_utils.errors import SpeechError

from .helpers import CountCalls

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as c:
        yield c


def _sources(corpus_dir, seed_path):
    """The seed, every .txt speech of the development corpus and every record of its two JSONL tables."""
    wiki = corpus_dir / "wikisource"
    return [seed_path, corpus_dir, wiki / "cpc_congress_reports.jsonl", wiki / "government_work_reports.jsonl"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_term_counts_on_the_cluster_equal_the_local_pool_on_seed_and_corpus(client, corpus_dir, seed_path, tmp_path):
    from analysis_utils.scale import corpus_term_counts

    src = _sources(corpus_dir, seed_path)
    local = corpus_term_counts(src, cache=False, progress=False, duplicates="keep")
    remote = corpus_term_counts(src, cache=tmp_path / "cache", progress=False, duplicates="keep", scheduler=client)
    assert local["speech_id"].nunique() > 100  # 85 files and the JSONL records
    assert remote.equals(local)


@pytest.mark.slow
def test_speeches_go_to_the_workers_in_batches_not_one_task_each(client, corpus_dir):
    """Dask's cost per task (scheduler and worker bookkeeping, a round trip for the result) is paid
    per batch of consecutive speeches: the 85 speeches of the development corpus (1.25 MB) in a few
    tasks, each at most BATCH_SPEECHES speeches, the table still the local pool's."""
    from analysis_utils.scale import cluster, corpus_term_counts

    files = [p for p in corpus_dir.rglob("*.txt") if p.is_file()]
    local = corpus_term_counts(corpus_dir, cache=False, progress=False, duplicates="keep")
    with distributed.get_task_stream(client) as stream:
        remote = corpus_term_counts(corpus_dir, cache=False, progress=False, duplicates="keep", scheduler=client)
    assert remote.equals(local) and local["speech_id"].nunique() == len(files) > 80
    tasks = [t for t in stream.data if "_work" in str(t["key"])]
    total = sum(p.stat().st_size for p in files)
    assert 1 < len(tasks) <= total // cluster.BATCH_BYTES + 2  # was one task per speech


@pytest.mark.slow
def test_each_worker_gives_its_freed_memory_back_once_a_pass_is_done(client, small_dir):
    """The workers outlive the pass: the heap their speeches used goes back to the system before
    the client makes its table (the pass's peak), once per worker per pass; nothing to do: no call."""
    from analysis_utils.scale import cluster, corpus_term_counts

    client.run(lambda: cluster.TRIMS.clear())
    corpus_term_counts(small_dir, cache=False, progress=False, scheduler=client)
    trims = client.run(lambda: list(cluster.TRIMS))
    assert sorted(trims) == sorted(client.scheduler_info()["workers"])
    assert all(len(v) == 1 for v in trims.values()), trims


def _batched(sizes: list[int], folder: Path, limit: int) -> list[list[int]]:
    """The positions of each batch of jobs for files of these sizes written in ``folder``."""
    from analysis_utils.scale.cluster import batches
    from analysis_utils.scale.sources import CorpusItem

    jobs = []
    for i, n in enumerate(sizes):
        path = folder / f"{i:03d}.txt"
        path.write_bytes(b"x" * n)
        jobs.append((CorpusItem(i, path.stem, path=path), None))
    return [[pos for pos, _ in b] for b in batches(iter(jobs), "tokens", limit=limit)]


@given(sizes=st.lists(st.integers(0, 3000), max_size=150), limit=st.integers(1, 5000))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_batches_keep_every_speech_in_order_within_the_size_and_count_limits(tmp_path, sizes, limit):
    from analysis_utils.scale.cluster import BATCH_SPEECHES

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    got = _batched(sizes, folder, limit)
    assert [pos for b in got for pos in b] == list(range(len(sizes)))  # every speech once, in order
    for b in got:
        assert 1 <= len(b) <= BATCH_SPEECHES
        assert len(b) == 1 or sum(max(1, sizes[i]) for i in b) <= limit  # a larger speech goes alone
    for b, nxt in zip(got, got[1:]):  # a batch ends only when the next speech would not fit
        assert len(b) == BATCH_SPEECHES or sum(max(1, sizes[i]) for i in b) + max(1, sizes[nxt[0]]) > limit


@pytest.mark.slow
def test_every_corpus_function_on_the_cluster_equals_the_local_pool(client, small_dir, seed_path):
    from analysis_utils.scale import (
        corpus_slogan_matrix,
        corpus_substring_counts,
        corpus_term_counts,
        corpus_term_frequency,
    )

    src = [seed_path, small_dir]
    for func, kwargs in [(corpus_term_frequency, {"by_speech": True}), (corpus_term_counts, {"plain": True}),
                         (corpus_term_counts, {"pos": ["n"], "min_len": 2}),
                         (corpus_substring_counts, {"terms": ["党", "人民", "全面从严治党", "发展"]}),
                         (corpus_slogan_matrix, {"kinds": ["number", "quoted"]})]:
        local = func(src, cache=False, progress=False, **kwargs)
        remote = func(src, cache=False, progress=False, scheduler=client, **kwargs)
        assert remote.equals(local), func.__name__


@pytest.mark.slow
def test_substring_counts_on_the_cluster_equal_the_local_pool_on_the_corpus(client, corpus_dir, seed_path):
    from analysis_utils.scale import corpus_substring_counts

    src = _sources(corpus_dir, seed_path)
    local = corpus_substring_counts(src, cache=False, progress=False, zeros=False)
    assert corpus_substring_counts(src, cache=False, progress=False, zeros=False, scheduler=client).equals(local)


@pytest.mark.slow
def test_the_plugin_builds_the_tokenizer_once_per_worker(client, small_dir):
    from analysis_utils.scale import cluster, corpus_term_counts

    client.run(lambda: cluster.SETUPS.clear())
    # options no other test uses: a plugin of their own
    first = corpus_term_counts(small_dir, hmm=False, cache=False, progress=False, scheduler=client)
    second = corpus_term_counts(small_dir, hmm=False, cache=False, progress=False, scheduler=client.scheduler.address)
    assert second.equals(first)
    assert first.equals(corpus_term_counts(small_dir, hmm=False, cache=False, progress=False))
    setups = client.run(lambda: list(cluster.SETUPS))
    assert sorted(setups) == sorted(client.scheduler_info()["workers"])
    assert all(v == [k] for k, v in setups.items())  # once each, for both counts (idempotent plugin)


@pytest.mark.slow
def test_workers_return_counts_not_token_sequences(client, small_dir, monkeypatch):
    from analysis_utils.scale import cache, corpus_term_counts, pool

    seen = []
    real = pool.Run.__call__

    def spy(self, **kw):
        for item, payload in real(self, **kw):
            if self.task == "tokens":
                seen.append(len(cache.decode_tokens(payload[1]).ids))
            yield item, payload

    monkeypatch.setattr(pool.Run, "__call__", spy)
    corpus_term_counts(small_dir, cache=False, progress=False, scheduler=client)
    assert seen and seen == [0] * len(seen)  # type counts only: no token sequence came back


@pytest.mark.slow
def test_the_token_cache_is_shared_with_the_cluster(client, small_dir, tmp_path, monkeypatch):
    """Workers on this file system write the cache the local pool then reads: nothing is cut again."""
    from analysis_utils.scale import corpus_term_counts

    store = tmp_path / "cache"
    remote = corpus_term_counts(small_dir, cache=store, progress=False, scheduler=client)
    calls = CountCalls(monkeypatch)
    local = corpus_term_counts(small_dir, cache=store, progress=False, workers=1, pos=["v"])
    assert calls.n == 0
    assert local.equals(corpus_term_counts(small_dir, cache=False, progress=False, workers=1, pos=["v"]))
    assert not remote.empty


@pytest.mark.slow
def test_a_bad_speech_is_that_speechs_error_as_locally(client, small_dir, tmp_path, monkeypatch, capsys):
    from analysis_utils.scale import corpus_term_counts

    (small_dir / "empty.txt").write_bytes(b"")
    (small_dir / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    monkeypatch.chdir(small_dir.parent)
    rel = Path(small_dir.name)  # named as the user gave it, not as the workers opened it
    local = corpus_term_counts(rel, cache=False, progress=False, errors="skip")
    local_err = capsys.readouterr().err
    remote = corpus_term_counts(rel, cache=False, progress=False, errors="skip", scheduler=client)
    remote_err = capsys.readouterr().err
    assert remote.equals(local) and local["speech_id"].nunique() == 3
    skipped = [ln for ln in local_err.splitlines() if ln.startswith("skipped:")]
    assert len(skipped) == 2 and f"skipped: {rel / 'binary.txt'}: " in local_err
    assert [ln for ln in remote_err.splitlines() if ln.startswith("skipped:")] == skipped
    with pytest.raises(SpeechError) as here:
        corpus_term_counts(rel, cache=False, progress=False)
    with pytest.raises(SpeechError) as there:
        corpus_term_counts(rel, cache=False, progress=False, scheduler=client)
    assert str(there.value) == str(here.value)


def test_an_unreachable_scheduler_is_one_line_naming_it():
    from analysis_utils.scale import corpus_substring_counts

    with pytest.raises(SpeechError, match=r"^no-port: cannot reach the Dask scheduler \(missing port"):
        corpus_substring_counts([ROOT / "seeds" / "party_building_conference_speech.txt"], ["党"], cache=False,
                                progress=False, scheduler="no-port")


@pytest.mark.slow
def test_the_cli_says_an_unreachable_scheduler_in_one_line_and_exits_2(seed_path, tmp_path):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    folder = tmp_path / "speeches"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(seed_path.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    for cmd in (["terms", str(folder)], ["count", str(folder), "党"], ["slogans", str(folder)]):
        p = subprocess.run([sys.executable, "-m", "analysis_utils", *cmd, "--scheduler", address],
                           capture_output=True, text=True, env=env, timeout=120)
        assert p.returncode == 2, p.stderr
        lines = [ln for ln in p.stderr.splitlines() if ln.strip() and not ln.startswith("note:")]
        assert lines == [f"error: {address}: cannot reach the Dask scheduler "
                         f"(Timed out trying to connect to {address} after 1 s)"], p.stderr
        assert p.stdout == ""


@pytest.mark.slow
def test_the_cli_counts_on_a_live_scheduler_given_by_address_alone(client, small_dir, tmp_path):
    """A real process with no Dask client of its own (``terms DIR --scheduler ADDRESS``) gets the local
    pool's table: the address alone is enough (it once failed with "No clients found")."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ANALYSIS_UTILS_CACHE": str(tmp_path / "cache")}
    base = [sys.executable, "-m", "analysis_utils", "terms", str(small_dir), "--top", "50", "--format", "csv"]
    local = subprocess.run(base, capture_output=True, text=True, env=env, timeout=300)
    remote = subprocess.run([*base, "--scheduler", client.scheduler.address],
                            capture_output=True, text=True, env={**env, "ANALYSIS_UTILS_CACHE": str(tmp_path / "c2")},
                            timeout=300)
    assert local.returncode == 0 and remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and local.stdout.count("\n") > 50


def _prebuilt_used(dask_worker) -> list[bool]:
    """On a worker (``Client.run``): does each engine plugin's tokenizer come from before the fork?"""
    from analysis_utils.scale import cluster

    plugins = dask_worker.plugins.values()
    return [p.engine._tok is cluster._PREBUILT[p.options] for p in plugins if isinstance(p, cluster.EnginePlugin)]


@pytest.mark.slow
def test_local_cluster_workers_share_the_tokenizer_made_before_they_were_forked(small_dir):
    from analysis_utils.scale import cluster, corpus_term_counts

    local = corpus_term_counts(small_dir, cache=False, progress=False)
    with cluster.local_cluster(n_workers=2, silence_logs=40) as lc, distributed.Client(lc) as c:
        assert corpus_term_counts(small_dir, cache=False, progress=False, scheduler=lc).equals(local)
        assert c.run(_prebuilt_used) == {w: [True] for w in c.scheduler_info()["workers"]}


def _callbacks(dask_worker) -> dict:
    """On a worker (``Client.run``): how often (ms) each of its periodic callbacks runs."""
    return {k: v.callback_time for k, v in dask_worker.periodic_callbacks.items()}


@pytest.mark.slow
def test_local_cluster_leaves_out_the_periodic_work_of_dashboards_and_memory_limits():
    """The package's one-machine cluster does not spend CPU all the time it is up: no worker, nanny
    or scheduler callback more often than once a second (Dask's defaults: the event-loop check every
    20 ms, the system monitor every 0.5 s, the memory monitor every 0.1 s), no memory limit."""
    from analysis_utils.scale import cluster

    with cluster.local_cluster(n_workers=2, silence_logs=40) as lc, distributed.Client(lc) as c:
        workers = c.run(_callbacks)
        assert len(workers) == 2 and all(min(cb.values()) >= 1000 for cb in workers.values()), workers
        nannies = [{k: v.callback_time for k, v in n.periodic_callbacks.items()} for n in lc.workers.values()]
        assert all(min(cb.values()) >= 1000 for cb in nannies), nannies
        sched = {k: v.callback_time for k, v in lc.scheduler.periodic_callbacks.items()}
        assert sched["tick"] >= 1000 and sched["monitor"] >= 1000, sched
        assert set(c.run(lambda dask_worker: dask_worker.memory_manager.memory_limit).values()) == {None}


def _dies_on(speech, *, victim: str):
    """A per-speech table whose worker process dies on the speech ``victim`` (corpus_map on the cluster)."""
    import pandas as pd

    if speech.id == victim:
        os._exit(3)
    return pd.DataFrame({"han_chars": [speech.han_chars]})


@pytest.mark.slow
def test_a_worker_dying_on_a_speech_is_that_speechs_error_the_others_counted(client, small_dir, capsys):
    """Last in this file: the cluster's workers are replaced by the time it ends."""
    from analysis_utils.scale import corpus_map

    victim = "001_2013-03-22"
    done = list(corpus_map(small_dir, _dies_on, params={"victim": victim}, cache=False, progress=False,
                           errors="skip", scheduler=client))
    assert sorted(item.id for item, _ in done) == sorted(p.stem for p in small_dir.glob("*.txt") if p.stem != victim)
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("skipped:")]
    assert err == [f"skipped: {small_dir / victim}.txt: the Dask workers died on it (KilledWorker)"]
