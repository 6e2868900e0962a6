# The data stage: simulate events with ACTS, or link existing TrackML files, per shard.


if config["data"]["source"] == "simulate":

    rule simulate:
        output:
            directory(f"{RUN}/events/{{shard}}"),
        log:
            f"{RUN}/logs/simulate/{{shard}}.log",
        benchmark:
            f"{RUN}/benchmarks/simulate/{{shard}}.tsv"
        conda:
            CONDA_ENV
        threads: 1
        resources:
            **resources_of("cpu"),
        params:
            cfg=RESOLVED,
            simulation=config["simulation"],
            data={k: config["data"][k] for k in ("particles",)},
            seed=config["run"]["seed"],
            events=shard_events,
            code=stage_code("simulation", "io", "metrics/weights.py", "cli/data.py"),
        shell:
            "trackgnn simulate --config {params.cfg} --out {output} --event-ids {params.events} "
            "--seed {params.seed} --no-progress > {log} 2>&1"

else:

    rule link_events:
        output:
            directory(f"{RUN}/events/{{shard}}"),
        log:
            f"{RUN}/logs/link_events/{{shard}}.log",
        benchmark:
            f"{RUN}/benchmarks/link_events/{{shard}}.tsv"
        conda:
            CONDA_ENV
        threads: 1
        resources:
            **resources_of("cpu"),
        params:
            input_dir=config["data"]["input_dir"],
            events=shard_events,
        shell:
            "trackgnn link-events --input {params.input_dir} --event-ids {params.events} "
            "--out {output} > {log} 2>&1"
