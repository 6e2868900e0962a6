# Evaluation: the truth-seeded reference, metrics of each method on the test shards, report.

METHODS = ["reference"] if (HAS_TRUTH and config["evaluation"]["reference"]) else []
REPORT_OUTPUTS = [f"{RUN}/report/summary.md"] if HAS_TRUTH else []


rule reference_tracks:
    input:
        f"{RUN}/events/{{shard}}",
    output:
        f"{RUN}/tracks/reference/{{shard}}.csv",
    params:
        code=stage_code("tracks.py", "io", "cli/evaluate.py"),
    log:
        f"{RUN}/logs/reference_tracks/{{shard}}.log",
    benchmark:
        f"{RUN}/benchmarks/reference_tracks/{{shard}}.tsv"
    threads: 1
    resources:
        **resources_of("cpu"),
    shell:
        "{TRACKGNN} reference-tracks --events-dir {input} --out {output} > {log} 2>&1"


rule evaluate:
    input:
        tracks=expand(f"{RUN}/tracks/{{{{method}}}}/{{shard}}.csv", shard=TEST_SHARDS),
        events=expand(f"{RUN}/events/{{shard}}", shard=TEST_SHARDS),
    output:
        f"{RUN}/evaluation/{{method}}.json",
    params:
        evaluation=config["evaluation"],
        code=stage_code("evaluation.py", "metrics", "cli/evaluate.py"),
    log:
        f"{RUN}/logs/evaluate/{{method}}.log",
    benchmark:
        f"{RUN}/benchmarks/evaluate/{{method}}.tsv"
    threads: 1
    resources:
        **resources_of("cpu"),
    shell:
        "{TRACKGNN} evaluate --config {RESOLVED} --method {wildcards.method} "
        "--tracks {input.tracks} --event-dirs {input.events} --out {output} > {log} 2>&1"


rule report:
    input:
        results=expand(f"{RUN}/evaluation/{{method}}.json", method=METHODS),
    output:
        summary=report(f"{RUN}/report/summary.md", category="Results"),
    params:
        code=stage_code("cli/evaluate.py", "report"),
    log:
        f"{RUN}/logs/report.log",
    benchmark:
        f"{RUN}/benchmarks/report.tsv"
    threads: 1
    resources:
        **resources_of("cpu"),
    shell:
        "{TRACKGNN} summary --results {RUN} --markdown {output.summary} > {log} 2>&1"
