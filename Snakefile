# trackgnn: GNN track reconstruction as a Snakemake workflow.
#   snakemake --cores 2                        # default config (config/config.yaml)
#   snakemake --cores 2 --configfile config/trackml_mu200.yaml
#   snakemake --profile workflow/profiles/slurm  # on a SLURM cluster
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"


wildcard_constraints:
    shard="(train|val|test)-[0-9]{3}",


include: "workflow/rules/data.smk"
include: "workflow/rules/evaluation.smk"
include: "workflow/rules/learning.smk"
include: "workflow/rules/fitting.smk"


rule all:
    default_target: True
    input:
        REPORT_OUTPUTS,
