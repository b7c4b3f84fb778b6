//! The data source `aws_sagemaker_prebuilt_ecr_image`: the ECR path of an image AWS publishes
//! for SageMaker (built-in algorithms, framework and deep learning containers) in a region.
//! Like Terraform, it makes no AWS call: the account that hosts each repository in each region
//! comes from a static table, ported from Terraform's
//! `internal/service/sagemaker/prebuilt_ecr_image_data_source.go` (which cites the SageMaker
//! Python SDK's `image_uri_config/*.json`), repository groups and all.

use std::sync::LazyLock;

use async_trait::async_trait;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use crate::identity::partition_of;
use crate::util::{opt_str, string};
use crate::{AwsDataSource, Ctx};

pub struct PrebuiltEcrImageData;

/// The repositories one table serves.
type Repositories = &'static [&'static str];
/// The account id hosting them, per region, sorted by region.
type Accounts = &'static [(&'static str, &'static str)];

/// Each table, with the repositories it serves (Terraform's `switch` on the repository).
const GROUPS: &[(Repositories, Accounts)] = &[
    (
        &[
            "blazingtext",
            "image-classification",
            "object-detection",
            "semantic-segmentation",
            "seq2seq",
        ],
        BLAZING,
    ),
    (&["sagemaker-clarify-processing"], CLARIFY),
    (&["sagemaker-data-wrangler-container"], DATA_WRANGLER),
    (&["sagemaker-debugger-rules"], DEBUGGER),
    (&["forecasting-deepar"], DEEP_AR),
    (
        &[
            "sagemaker-neo-mxnet",
            "sagemaker-neo-pytorch",
            "sagemaker-rl-mxnet",
            "image-classification-neo",
            "sagemaker-inference-mxnet",
            "sagemaker-inference-pytorch",
            "sagemaker-inference-tensorflow",
            "xgboost-neo",
            "sagemaker-neo-tensorflow",
        ],
        INFERENTIA_NEO,
    ),
    (&["lda"], LDA),
    (&["sagemaker-model-monitor-analyzer"], MODEL_MONITOR),
    (
        &[
            "sagemaker-xgboost",
            "sagemaker-scikit-learn",
            "sagemaker-sparkml-serving",
            "tei",
            "tei-cpu",
        ],
        XGBOOST,
    ),
    (
        &[
            "sagemaker-chainer",
            "sagemaker-mxnet",
            "sagemaker-mxnet-serving",
            "sagemaker-mxnet-eia",
            "sagemaker-mxnet-serving-eia",
            "sagemaker-pytorch",
            "sagemaker-tensorflow",
            "sagemaker-tensorflow-eia",
            "sagemaker-tensorflow-scriptmode",
            "sagemaker-rl-tensorflow",
            "sagemaker-tensorflow-serving",
            "sagemaker-tensorflow-serving-eia",
        ],
        SAGEMAKER_CUSTOM,
    ),
    (
        &[
            "autogluon-training",
            "autogluon-inference",
            "djl-inference",
            "huggingface-tensorflow-training",
            "huggingface-pytorch-training",
            "huggingface-pytorch-training-neuronx",
            "huggingface-pytorch-trcomp-training",
            "huggingface-tensorflow-trcomp-training",
            "huggingface-tensorflow-inference",
            "huggingface-pytorch-inference",
            "huggingface-pytorch-inference-neuron",
            "huggingface-pytorch-inference-neuronx",
            "huggingface-pytorch-tgi-inference",
            "mxnet-training",
            "mxnet-inference",
            "mxnet-inference-eia",
            "pytorch-training",
            "pytorch-training-neuronx",
            "pytorch-trcomp-training",
            "pytorch-inference",
            "pytorch-inference-eia",
            "pytorch-inference-graviton",
            "pytorch-inference-neuronx",
            "stabilityai-pytorch-inference",
            "tensorflow-training",
            "tensorflow-inference",
            "tensorflow-inference-eia",
            "tensorflow-inference-graviton",
            "sagemaker-tritonserver",
        ],
        DEEP_LEARNING,
    ),
    (
        &[
            "sagemaker-rl-ray-container",
            "sagemaker-rl-coach-container",
            "sagemaker-rl-vw-container",
        ],
        SAGEMAKER_RL,
    ),
    (&["sagemaker-base-python"], BASE_PYTHON),
    (&["sagemaker-geospatial-v1-0"], GEOSPATIAL),
    (&["sagemaker-spark-processing"], SPARK),
    // Terraform's `default` branch: every other repository it accepts.
    (
        &[
            "factorization-machines",
            "ipinsights",
            "kmeans",
            "knn",
            "linear-learner",
            "ntm",
            "object2vec",
            "pca",
            "randomcutforest",
        ],
        FACTOR_MACHINES,
    ),
];

/// Where a repository is published in a region.
#[derive(Debug, PartialEq, Eq)]
pub enum Registry {
    /// In this account.
    Account(&'static str),
    /// A repository Terraform knows, not published in that region.
    NotInRegion,
    /// A repository Terraform does not know.
    UnknownRepository,
}

/// The account hosting `repository` in `region`.
pub fn registry_id(repository: &str, region: &str) -> Registry {
    match GROUPS.iter().find(|(repos, _)| repos.contains(&repository)) {
        None => Registry::UnknownRepository,
        Some((_, table)) => match table.iter().find(|(r, _)| *r == region) {
            Some((_, id)) => Registry::Account(id),
            None => Registry::NotInRegion,
        },
    }
}

/// Terraform's path: `ID.dkr.ecr.REGION.SUFFIX/REPOSITORY:TAG`.
pub fn registry_path(id: &str, region: &str, dns_suffix: &str, repository: &str, tag: &str) -> String {
    format!("{id}.dkr.ecr.{region}.{dns_suffix}/{repository}:{tag}")
}

fn repositories() -> Vec<&'static str> {
    let mut v: Vec<&str> = GROUPS.iter().flat_map(|(repos, _)| repos.iter().copied()).collect();
    v.sort();
    v
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "The ECR path of an image AWS publishes for SageMaker (built-in algorithms such as xgboost and kmeans, \
         scikit-learn, and the PyTorch, TensorFlow and Hugging Face deep learning containers) in a region, for a \
         model's or job's image. Makes no AWS call: the hosting account per repository and region comes from \
         Terraform's own table, ported as it is.",
    )
    .attr(
        "repository_name",
        Attribute::required(Type::String).describe(
            "The repository, such as sagemaker-xgboost, pytorch-inference or huggingface-pytorch-tgi-inference.",
        ),
    )
    .attr(
        "image_tag",
        Attribute::optional(Type::String).describe("The image tag (default \"1\")."),
    )
    .attr(
        "region",
        Attribute::optional(Type::String).describe("The region of the image; default the provider's."),
    )
    .attr(
        "dns_suffix",
        Attribute::optional(Type::String)
            .describe("The DNS suffix; default that of the provider's partition (amazonaws.com ...)."),
    )
    .attr(
        "registry_id",
        Attribute::computed(Type::String).describe("The account that hosts the repository in the region."),
    )
    .attr(
        "registry_path",
        Attribute::computed(Type::String).describe("The image path: ID.dkr.ecr.REGION.SUFFIX/REPOSITORY:TAG."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The registry id (as Terraform's id)."),
    )
});

#[async_trait]
impl AwsDataSource for PrebuiltEcrImageData {
    fn type_name(&self) -> &'static str {
        "aws_sagemaker_prebuilt_ecr_image"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        match config.get("repository_name").as_str() {
            Some(repo) if registry_id(repo, "") == Registry::UnknownRepository => vec![super::invalid(
                "repository_name",
                "Unknown SageMaker repository",
                format!(
                    "{repo:?} is not a prebuilt SageMaker repository; one of: {}",
                    repositories().join(", ")
                ),
            )],
            _ => vec![],
        }
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let repo = opt_str(config, "repository_name").unwrap_or_default();
        let region = opt_str(config, "region").unwrap_or_else(|| ctx.region.clone());
        // As in Terraform: the provider's partition, whatever `region` says.
        let suffix = opt_str(config, "dns_suffix").unwrap_or_else(|| partition_of(&ctx.region).dns_suffix.to_string());
        let tag = opt_str(config, "image_tag").unwrap_or_else(|| "1".to_string());
        let id = match registry_id(&repo, &region) {
            Registry::Account(id) => id,
            _ => {
                return Err(ProviderError::new(format!(
                    "no registry ID available for region ({region}) and repository ({repo})"
                )));
            }
        };
        Ok(Value::object([
            ("repository_name", string(&repo)),
            ("image_tag", string(&tag)),
            ("region", string(&region)),
            ("dns_suffix", string(&suffix)),
            ("registry_id", string(id)),
            (
                "registry_path",
                string(registry_path(id, &region, &suffix, &repo, &tag)),
            ),
            ("id", string(id)),
        ]))
    }
}

// The tables, region by region, as Terraform has them.

const BLAZING: &[(&str, &str)] = &[
    ("af-south-1", "455444449433"),
    ("ap-east-1", "286214385809"),
    ("ap-northeast-1", "501404015308"),
    ("ap-northeast-2", "306986355934"),
    ("ap-northeast-3", "867004704886"),
    ("ap-south-1", "991648021394"),
    ("ap-south-2", "628508329040"),
    ("ap-southeast-1", "475088953585"),
    ("ap-southeast-2", "544295431143"),
    ("ap-southeast-3", "951798379941"),
    ("ap-southeast-4", "106583098589"),
    ("ca-central-1", "469771592824"),
    ("ca-west-1", "190319476487"),
    ("cn-north-1", "390948362332"),
    ("cn-northwest-1", "387376663083"),
    ("eu-central-1", "813361260812"),
    ("eu-central-2", "680994064768"),
    ("eu-north-1", "669576153137"),
    ("eu-south-1", "257386234256"),
    ("eu-south-2", "104374241257"),
    ("eu-west-1", "685385470294"),
    ("eu-west-2", "644912444149"),
    ("eu-west-3", "749696950732"),
    ("il-central-1", "898809789911"),
    ("me-central-1", "272398656194"),
    ("me-south-1", "249704162688"),
    ("sa-east-1", "855470959533"),
    ("us-east-1", "811284229777"),
    ("us-east-2", "825641698319"),
    ("us-gov-east-1", "237065988967"),
    ("us-gov-west-1", "226302683700"),
    ("us-iso-east-1", "490574956308"),
    ("us-isob-east-1", "765400339828"),
    ("us-west-1", "632365934929"),
    ("us-west-2", "433757028032"),
];

const CLARIFY: &[(&str, &str)] = &[
    ("af-south-1", "811711786498"),
    ("ap-east-1", "098760798382"),
    ("ap-northeast-1", "377024640650"),
    ("ap-northeast-2", "263625296855"),
    ("ap-northeast-3", "912233562940"),
    ("ap-south-1", "452307495513"),
    ("ap-southeast-1", "834264404009"),
    ("ap-southeast-2", "007051062584"),
    ("ap-southeast-3", "705930551576"),
    ("ca-central-1", "675030665977"),
    ("cn-north-1", "122526803553"),
    ("cn-northwest-1", "122578899357"),
    ("eu-central-1", "017069133835"),
    ("eu-north-1", "763603941244"),
    ("eu-south-1", "638885417683"),
    ("eu-west-1", "131013547314"),
    ("eu-west-2", "440796970383"),
    ("eu-west-3", "341593696636"),
    ("me-south-1", "835444307964"),
    ("sa-east-1", "520018980103"),
    ("us-east-1", "205585389593"),
    ("us-east-2", "211330385671"),
    ("us-gov-west-1", "598674086554"),
    ("us-west-1", "740489534195"),
    ("us-west-2", "306415355426"),
];

const DATA_WRANGLER: &[(&str, &str)] = &[
    ("af-south-1", "143210264188"),
    ("ap-east-1", "707077482487"),
    ("ap-northeast-1", "649008135260"),
    ("ap-northeast-2", "131546521161"),
    ("ap-northeast-3", "913387583493"),
    ("ap-south-1", "089933028263"),
    ("ap-southeast-1", "119527597002"),
    ("ap-southeast-2", "422173101802"),
    ("ca-central-1", "557239378090"),
    ("cn-north-1", "245909111842"),
    ("cn-northwest-1", "249157047649"),
    ("eu-central-1", "024640144536"),
    ("eu-north-1", "054986407534"),
    ("eu-south-1", "488287956546"),
    ("eu-west-1", "245179582081"),
    ("eu-west-2", "894491911112"),
    ("eu-west-3", "807237891255"),
    ("il-central-1", "406833011540"),
    ("me-south-1", "376037874950"),
    ("sa-east-1", "424196993095"),
    ("us-east-1", "663277389841"),
    ("us-east-2", "415577184552"),
    ("us-west-1", "926135532090"),
    ("us-west-2", "174368400705"),
];

const DEBUGGER: &[(&str, &str)] = &[
    ("af-south-1", "314341159256"),
    ("ap-east-1", "199566480951"),
    ("ap-northeast-1", "430734990657"),
    ("ap-northeast-2", "578805364391"),
    ("ap-northeast-3", "479947661362"),
    ("ap-south-1", "904829902805"),
    ("ap-southeast-1", "972752614525"),
    ("ap-southeast-2", "184798709955"),
    ("ca-central-1", "519511493484"),
    ("cn-north-1", "618459771430"),
    ("cn-northwest-1", "658757709296"),
    ("eu-central-1", "482524230118"),
    ("eu-north-1", "314864569078"),
    ("eu-south-1", "563282790590"),
    ("eu-west-1", "929884845733"),
    ("eu-west-2", "250201462417"),
    ("eu-west-3", "447278800020"),
    ("me-south-1", "986000313247"),
    ("sa-east-1", "818342061345"),
    ("us-east-1", "503895931360"),
    ("us-east-2", "915447279597"),
    ("us-gov-west-1", "515509971035"),
    ("us-west-1", "685455198987"),
    ("us-west-2", "895741380848"),
];

const INFERENTIA_NEO: &[(&str, &str)] = &[
    ("af-south-1", "774647643957"),
    ("ap-east-1", "110948597952"),
    ("ap-northeast-1", "941853720454"),
    ("ap-northeast-2", "151534178276"),
    ("ap-northeast-3", "925152966179"),
    ("ap-south-1", "763008648453"),
    ("ap-southeast-1", "324986816169"),
    ("ap-southeast-2", "355873309152"),
    ("ca-central-1", "464438896020"),
    ("cn-north-1", "472730292857"),
    ("cn-northwest-1", "474822919863"),
    ("eu-central-1", "746233611703"),
    ("eu-north-1", "601324751636"),
    ("eu-south-1", "966458181534"),
    ("eu-west-1", "802834080501"),
    ("eu-west-2", "205493899709"),
    ("eu-west-3", "254080097072"),
    ("il-central-1", "275950707576"),
    ("me-south-1", "836785723513"),
    ("sa-east-1", "756306329178"),
    ("us-east-1", "785573368785"),
    ("us-east-2", "007439368137"),
    ("us-gov-west-1", "263933020539"),
    ("us-iso-east-1", "167761179201"),
    ("us-isob-east-1", "406031935815"),
    ("us-west-1", "710691900526"),
    ("us-west-2", "301217895009"),
];

const SAGEMAKER_CUSTOM: &[(&str, &str)] = &[
    ("af-south-1", "313743910680"),
    ("ap-east-1", "057415533634"),
    ("ap-northeast-1", "520713654638"),
    ("ap-northeast-2", "520713654638"),
    ("ap-south-1", "520713654638"),
    ("ap-southeast-1", "520713654638"),
    ("ap-southeast-2", "520713654638"),
    ("ca-central-1", "520713654638"),
    ("cn-north-1", "422961961927"),
    ("cn-northwest-1", "423003514399"),
    ("eu-central-1", "520713654638"),
    ("eu-north-1", "520713654638"),
    ("eu-south-1", "048378556238"),
    ("eu-west-1", "520713654638"),
    ("eu-west-2", "520713654638"),
    ("eu-west-3", "520713654638"),
    ("me-south-1", "724002660598"),
    ("sa-east-1", "520713654638"),
    ("us-east-1", "520713654638"),
    ("us-east-2", "520713654638"),
    ("us-gov-west-1", "246785580436"),
    ("us-iso-east-1", "744548109606"),
    ("us-isob-east-1", "453391408702"),
    ("us-west-1", "520713654638"),
    ("us-west-2", "520713654638"),
];

const SAGEMAKER_RL: &[(&str, &str)] = &[
    ("ap-northeast-1", "462105765813"),
    ("ap-northeast-2", "462105765813"),
    ("ap-south-1", "462105765813"),
    ("ap-southeast-1", "462105765813"),
    ("ap-southeast-2", "462105765813"),
    ("ca-central-1", "462105765813"),
    ("eu-central-1", "462105765813"),
    ("eu-west-1", "462105765813"),
    ("eu-west-2", "462105765813"),
    ("us-east-1", "462105765813"),
    ("us-east-2", "462105765813"),
    ("us-west-1", "462105765813"),
    ("us-west-2", "462105765813"),
];

const SPARK: &[(&str, &str)] = &[
    ("af-south-1", "309385258863"),
    ("ap-east-1", "732049463269"),
    ("ap-northeast-1", "411782140378"),
    ("ap-northeast-2", "860869212795"),
    ("ap-northeast-3", "102471314380"),
    ("ap-south-1", "105495057255"),
    ("ap-south-2", "873151114052"),
    ("ap-southeast-1", "759080221371"),
    ("ap-southeast-2", "440695851116"),
    ("ap-southeast-3", "800295151634"),
    ("ap-southeast-4", "819679513684"),
    ("ca-central-1", "446299261295"),
    ("ca-west-1", "000907499111"),
    ("cn-north-1", "671472414489"),
    ("cn-northwest-1", "844356804704"),
    ("eu-central-1", "906073651304"),
    ("eu-central-2", "142351485170"),
    ("eu-north-1", "330188676905"),
    ("eu-south-1", "753923664805"),
    ("eu-south-2", "833944533722"),
    ("eu-west-1", "571004829621"),
    ("eu-west-2", "836651553127"),
    ("eu-west-3", "136845547031"),
    ("il-central-1", "408426139102"),
    ("me-central-1", "395420993607"),
    ("me-south-1", "750251592176"),
    ("sa-east-1", "737130764395"),
    ("us-east-1", "173754725891"),
    ("us-east-2", "314815235551"),
    ("us-gov-east-1", "260923028637"),
    ("us-gov-west-1", "271483468897"),
    ("us-west-1", "667973535471"),
    ("us-west-2", "153931337802"),
];

const BASE_PYTHON: &[(&str, &str)] = &[
    ("af-south-1", "559312083959"),
    ("ap-east-1", "493642496378"),
    ("ap-northeast-1", "102112518831"),
    ("ap-northeast-2", "806072073708"),
    ("ap-northeast-3", "792733760839"),
    ("ap-south-1", "394103062818"),
    ("ap-southeast-1", "492261229750"),
    ("ap-southeast-2", "452832661640"),
    ("ap-southeast-3", "276181064229"),
    ("ca-central-1", "310906938811"),
    ("cn-north-1", "390048526115"),
    ("cn-northwest-1", "390780980154"),
    ("eu-central-1", "936697816551"),
    ("eu-north-1", "243637512696"),
    ("eu-south-1", "592751261982"),
    ("eu-south-2", "127363102723"),
    ("eu-west-1", "470317259841"),
    ("eu-west-2", "712779665605"),
    ("eu-west-3", "615547856133"),
    ("il-central-1", "380164790875"),
    ("me-central-1", "103105715889"),
    ("me-south-1", "117516905037"),
    ("sa-east-1", "782484402741"),
    ("us-east-1", "081325390199"),
    ("us-east-2", "429704687514"),
    ("us-gov-east-1", "107072934176"),
    ("us-gov-west-1", "107173498710"),
    ("us-west-1", "742091327244"),
    ("us-west-2", "236514542706"),
];

const GEOSPATIAL: &[(&str, &str)] = &[("us-west-2", "081189585635")];

const DEEP_AR: &[(&str, &str)] = &[
    ("af-south-1", "455444449433"),
    ("ap-east-1", "286214385809"),
    ("ap-northeast-1", "633353088612"),
    ("ap-northeast-2", "204372634319"),
    ("ap-northeast-3", "867004704886"),
    ("ap-south-1", "991648021394"),
    ("ap-south-2", "628508329040"),
    ("ap-southeast-1", "475088953585"),
    ("ap-southeast-2", "514117268639"),
    ("ap-southeast-3", "951798379941"),
    ("ap-southeast-4", "106583098589"),
    ("ca-central-1", "469771592824"),
    ("ca-west-1", "190319476487"),
    ("cn-north-1", "390948362332"),
    ("cn-northwest-1", "387376663083"),
    ("eu-central-1", "495149712605"),
    ("eu-central-2", "680994064768"),
    ("eu-north-1", "669576153137"),
    ("eu-south-1", "257386234256"),
    ("eu-south-2", "104374241257"),
    ("eu-west-1", "224300973850"),
    ("eu-west-2", "644912444149"),
    ("eu-west-3", "749696950732"),
    ("il-central-1", "898809789911"),
    ("me-central-1", "272398656194"),
    ("me-south-1", "249704162688"),
    ("sa-east-1", "855470959533"),
    ("us-east-1", "522234722520"),
    ("us-east-2", "566113047672"),
    ("us-gov-east-1", "237065988967"),
    ("us-gov-west-1", "226302683700"),
    ("us-iso-east-1", "490574956308"),
    ("us-isob-east-1", "765400339828"),
    ("us-west-1", "632365934929"),
    ("us-west-2", "156387875391"),
];

const FACTOR_MACHINES: &[(&str, &str)] = &[
    ("af-south-1", "455444449433"),
    ("ap-east-1", "286214385809"),
    ("ap-northeast-1", "351501993468"),
    ("ap-northeast-2", "835164637446"),
    ("ap-northeast-3", "867004704886"),
    ("ap-south-1", "991648021394"),
    ("ap-south-2", "628508329040"),
    ("ap-southeast-1", "475088953585"),
    ("ap-southeast-2", "712309505854"),
    ("ap-southeast-3", "951798379941"),
    ("ap-southeast-4", "106583098589"),
    ("ca-central-1", "469771592824"),
    ("ca-west-1", "190319476487"),
    ("cn-north-1", "390948362332"),
    ("cn-northwest-1", "387376663083"),
    ("eu-central-1", "664544806723"),
    ("eu-central-2", "680994064768"),
    ("eu-north-1", "669576153137"),
    ("eu-south-1", "257386234256"),
    ("eu-south-2", "104374241257"),
    ("eu-west-1", "438346466558"),
    ("eu-west-2", "644912444149"),
    ("eu-west-3", "749696950732"),
    ("il-central-1", "898809789911"),
    ("me-central-1", "272398656194"),
    ("me-south-1", "249704162688"),
    ("sa-east-1", "855470959533"),
    ("us-east-1", "382416733822"),
    ("us-east-2", "404615174143"),
    ("us-gov-east-1", "237065988967"),
    ("us-gov-west-1", "226302683700"),
    ("us-iso-east-1", "490574956308"),
    ("us-isob-east-1", "765400339828"),
    ("us-west-1", "632365934929"),
    ("us-west-2", "174872318107"),
];

const LDA: &[(&str, &str)] = &[
    ("ap-northeast-1", "258307448986"),
    ("ap-northeast-2", "293181348795"),
    ("ap-south-1", "991648021394"),
    ("ap-southeast-1", "475088953585"),
    ("ap-southeast-2", "297031611018"),
    ("ca-central-1", "469771592824"),
    ("eu-central-1", "353608530281"),
    ("eu-west-1", "999678624901"),
    ("eu-west-2", "644912444149"),
    ("us-east-1", "766337827248"),
    ("us-east-2", "999911452149"),
    ("us-gov-west-1", "226302683700"),
    ("us-iso-east-1", "490574956308"),
    ("us-isob-east-1", "765400339828"),
    ("us-west-1", "632365934929"),
    ("us-west-2", "266724342769"),
];

const XGBOOST: &[(&str, &str)] = &[
    ("af-south-1", "510948584623"),
    ("ap-east-1", "651117190479"),
    ("ap-northeast-1", "354813040037"),
    ("ap-northeast-2", "366743142698"),
    ("ap-northeast-3", "867004704886"),
    ("ap-south-1", "720646828776"),
    ("ap-south-2", "628508329040"),
    ("ap-southeast-1", "121021644041"),
    ("ap-southeast-2", "783357654285"),
    ("ap-southeast-3", "951798379941"),
    ("ap-southeast-4", "106583098589"),
    ("ca-central-1", "341280168497"),
    ("ca-west-1", "190319476487"),
    ("cn-north-1", "450853457545"),
    ("cn-northwest-1", "451049120500"),
    ("eu-central-1", "492215442770"),
    ("eu-central-2", "680994064768"),
    ("eu-north-1", "662702820516"),
    ("eu-south-1", "978288397137"),
    ("eu-south-2", "104374241257"),
    ("eu-west-1", "141502667606"),
    ("eu-west-2", "764974769150"),
    ("eu-west-3", "659782779980"),
    ("il-central-1", "898809789911"),
    ("me-central-1", "272398656194"),
    ("me-south-1", "801668240914"),
    ("sa-east-1", "737474898029"),
    ("us-east-1", "683313688378"),
    ("us-east-2", "257758044811"),
    ("us-gov-east-1", "237065988967"),
    ("us-gov-west-1", "414596584902"),
    ("us-iso-east-1", "833128469047"),
    ("us-isob-east-1", "281123927165"),
    ("us-west-1", "746614075791"),
    ("us-west-2", "246618743249"),
];

const DEEP_LEARNING: &[(&str, &str)] = &[
    ("af-south-1", "626614931356"),
    ("ap-east-1", "871362719292"),
    ("ap-northeast-1", "763104351884"),
    ("ap-northeast-2", "763104351884"),
    ("ap-northeast-3", "364406365360"),
    ("ap-south-1", "763104351884"),
    ("ap-south-2", "772153158452"),
    ("ap-southeast-1", "763104351884"),
    ("ap-southeast-2", "763104351884"),
    ("ap-southeast-3", "907027046896"),
    ("ap-southeast-4", "457447274322"),
    ("ca-central-1", "763104351884"),
    ("ca-west-1", "204538143572"),
    ("cn-north-1", "727897471807"),
    ("cn-northwest-1", "727897471807"),
    ("eu-central-1", "763104351884"),
    ("eu-central-2", "380420809688"),
    ("eu-north-1", "763104351884"),
    ("eu-south-1", "692866216735"),
    ("eu-south-2", "503227376785"),
    ("eu-west-1", "763104351884"),
    ("eu-west-2", "763104351884"),
    ("eu-west-3", "763104351884"),
    ("il-central-1", "780543022126"),
    ("me-central-1", "914824155844"),
    ("me-south-1", "217643126080"),
    ("sa-east-1", "763104351884"),
    ("us-east-1", "763104351884"),
    ("us-east-2", "763104351884"),
    ("us-gov-east-1", "446045086412"),
    ("us-gov-west-1", "442386744353"),
    ("us-iso-east-1", "886529160074"),
    ("us-isob-east-1", "094389454867"),
    ("us-west-1", "763104351884"),
    ("us-west-2", "763104351884"),
];

const MODEL_MONITOR: &[(&str, &str)] = &[
    ("af-south-1", "875698925577"),
    ("ap-east-1", "001633400207"),
    ("ap-northeast-1", "574779866223"),
    ("ap-northeast-2", "709848358524"),
    ("ap-northeast-3", "990339680094"),
    ("ap-south-1", "126357580389"),
    ("ap-southeast-1", "245545462676"),
    ("ap-southeast-2", "563025443158"),
    ("ap-southeast-3", "669540362728"),
    ("ca-central-1", "536280801234"),
    ("cn-north-1", "453000072557"),
    ("cn-northwest-1", "453252182341"),
    ("eu-central-1", "048819808253"),
    ("eu-north-1", "895015795356"),
    ("eu-south-1", "933208885752"),
    ("eu-south-2", "437450045455"),
    ("eu-west-1", "468650794304"),
    ("eu-west-2", "749857270468"),
    ("eu-west-3", "680080141114"),
    ("il-central-1", "843974653677"),
    ("me-central-1", "588750061953"),
    ("me-south-1", "607024016150"),
    ("sa-east-1", "539772159869"),
    ("us-east-1", "156813124566"),
    ("us-east-2", "777275614652"),
    ("us-west-1", "890145073186"),
    ("us-west-2", "159807026194"),
];
#[cfg(test)]
mod tests {
    use super::*;

    /// Values Terraform's own acceptance tests expect (prebuilt_ecr_image_data_source_test.go
    /// reads them from the same tables; these are the us-west-2 and us-east-1 entries).
    #[test]
    fn paths_match_terraforms() {
        let id = "246618743249";
        assert_eq!(registry_id("sagemaker-xgboost", "us-west-2"), Registry::Account(id));
        assert_eq!(
            registry_path(id, "us-west-2", "amazonaws.com", "sagemaker-xgboost", "1.7-1"),
            "246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.7-1"
        );
        assert_eq!(registry_id("kmeans", "us-west-2"), Registry::Account("174872318107"));
        assert_eq!(
            registry_id("sagemaker-scikit-learn", "us-east-1"),
            Registry::Account("683313688378")
        );
        assert_eq!(
            registry_id("pytorch-inference", "eu-west-1"),
            Registry::Account("763104351884")
        );
        assert_eq!(
            registry_id("huggingface-pytorch-tgi-inference", "ap-east-1"),
            Registry::Account("871362719292")
        );
        assert_eq!(
            registry_id("tensorflow-training", "cn-north-1"),
            Registry::Account("727897471807")
        );
        assert_eq!(
            registry_id("sagemaker-tensorflow-serving", "us-east-1"),
            Registry::Account("520713654638")
        );
        assert_eq!(
            registry_id("forecasting-deepar", "us-east-1"),
            Registry::Account("522234722520")
        );
        assert_eq!(
            registry_id("sagemaker-spark-processing", "us-west-2"),
            Registry::Account("153931337802")
        );
        // Known repository, region without it; unknown repository.
        assert_eq!(
            registry_id("sagemaker-geospatial-v1-0", "us-east-1"),
            Registry::NotInRegion
        );
        assert_eq!(registry_id("no-such-repo", "us-east-1"), Registry::UnknownRepository);
    }

    #[test]
    fn every_repository_is_in_one_group_and_tables_are_sorted_and_unique() {
        let all = repositories();
        let mut dedup = all.clone();
        dedup.dedup();
        assert_eq!(all, dedup, "a repository in two groups");
        for (_, table) in GROUPS {
            assert!(
                table.windows(2).all(|w| w[0].0 < w[1].0),
                "table not sorted/unique: {table:?}"
            );
            assert!(
                table
                    .iter()
                    .all(|(_, id)| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()))
            );
        }
    }
}
