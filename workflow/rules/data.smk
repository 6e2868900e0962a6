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
            code=command_code("simulate"),
        shell:
            "trackgnn simulate --config {params.cfg:q} --out {output:q} --event-ids {params.events:q} "
            "--seed {params.seed:q} --no-progress > {log:q} 2>&1"

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
            code=command_code("link-events"),
        shell:
            "trackgnn link-events --input {params.input_dir:q} --event-ids {params.events:q} "
            "--out {output:q} > {log:q} 2>&1"
