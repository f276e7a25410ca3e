#!/usr/bin/env python3
"""Large-schema benchmark (not a test): the biggest API the limits allow, its models generated, then N concurrent
GetBackendAPIModels. Prints the schema and models sizes, the generation time, the time of the concurrent reads, an
unrelated CreateBackend's latency while generation runs, and the server's peak and final resident memory (VmHWM /
VmRSS). Usage: bench/large_models.py [--models 1000] [--fields 12] [--readers 10] [--ampstack ./ampstack]"""

import argparse
import concurrent.futures
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools" / "launcher"))
import ampstack_launcher  # noqa: E402  (the shared launcher: starts a server and reads its --ready-file)


def schema_of(models, fields):
    parts = []
    for i in range(models):
        extra = "".join(f"  f{j}: String\n" for j in range(fields))
        link = f"  parentID: ID @index(name: \"byParent{i}\")\n  parent: M{i - 1} @belongsTo(fields: [\"parentID\"])\n" if i else ""
        child = f"  children: [M{i + 1}] @hasMany(indexName: \"byParent{i + 1}\", fields: [\"id\"])\n" if i + 1 < models else ""
        parts.append(f"type M{i} @model {{\n  id: ID!\n{extra}{link}{child}}}\n")
    return "".join(parts)


def memory(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    field = lambda name: int(re.search(rf"^{name}:\s+(\d+) kB", status, re.M).group(1)) // 1024
    return field("VmHWM"), field("VmRSS")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, default=1000)
    ap.add_argument("--fields", type=int, default=12)
    ap.add_argument("--readers", type=int, default=10)
    ap.add_argument("--ampstack", default=str(ROOT / "ampstack"))
    args = ap.parse_args()

    data = tempfile.mkdtemp(prefix="ampstack-large-")
    launch = ampstack_launcher.Launch([args.ampstack, "serve", "--port", "0", "--data-dir", data],
                                      stdout=subprocess.PIPE, text=True)
    proc = launch.proc
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    try:
        url = launch.wait(600)["url"]  # the first start may build the server
    except ampstack_launcher.LaunchError as e:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        launch.cleanup()
        sys.exit(f"the server did not start: {e}")
    try:
        client = boto3.client("amplifybackend", endpoint_url=url, region_name="us-east-1", aws_access_key_id="bench",
                              aws_secret_access_key="bench",
                              config=Config(retries={"max_attempts": 0}, read_timeout=600, max_pool_connections=64))
        schema = schema_of(args.models, args.fields)
        print(f"schema: {args.models} models, {len(schema):,} characters")
        client.create_backend(AppId="big", AppName="big", BackendEnvironmentName="dev")
        config = {"ApiName": "big", "Service": "AppSync", "TransformSchema": schema, "DefaultAuthType": {"Mode": "API_KEY"}}
        client.create_backend_api(AppId="big", BackendEnvironmentName="dev", ResourceName="api", ResourceConfig=config)

        before = memory(proc.pid)
        other = {}

        def unrelated_write():
            time.sleep(0.2)
            t = time.perf_counter()
            client.create_backend(AppId="other", AppName="other", BackendEnvironmentName="dev")
            other["ms"] = (time.perf_counter() - t) * 1000

        writer = threading.Thread(target=unrelated_write)
        writer.start()
        t = time.perf_counter()
        job = client.generate_backend_api_models(AppId="big", BackendEnvironmentName="dev", ResourceName="api")
        generation = time.perf_counter() - t
        writer.join()
        status = client.get_backend_job(AppId="big", BackendEnvironmentName="dev", JobId=job["JobId"])
        print(f"generation: {generation:.2f} s, job {status['Status']} {status.get('Error', '')}")
        print(f"unrelated CreateBackend during generation: {other['ms']:.0f} ms")
        after_generation = memory(proc.pid)
        print(f"server memory after generation: peak {after_generation[0]} MiB, now {after_generation[1]} MiB")

        first = client.get_backend_api_models(AppId="big", BackendEnvironmentName="dev", ResourceName="api")
        size = len(first.get("Models", "")) + len(first.get("ModelIntrospectionSchema", ""))
        print(f"models: {size / 2**20:.1f} MiB (schema.js + introspection), status {first['Status']}")

        t = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.readers) as pool:
            sizes = list(pool.map(lambda _: len(client.get_backend_api_models(
                AppId="big", BackendEnvironmentName="dev", ResourceName="api")["Models"]), range(args.readers)))
        reads = time.perf_counter() - t
        assert all(s == sizes[0] for s in sizes)
        peak, _ = memory(proc.pid)
        time.sleep(5)
        _, final = memory(proc.pid)
        print(f"{args.readers} concurrent GetBackendAPIModels: {reads:.2f} s")
        print(f"server memory: {before[1]} MiB before generation, peak {peak} MiB, {final} MiB five seconds after")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        launch.cleanup()
        subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    main()
