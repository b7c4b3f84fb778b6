//! No duplicates after a crash between a create and its record in state (issue 17): the `plinth`
//! binary is made to abort right after a provider's create returns and before the state records
//! it (`PLINTH_FAULT_KILL_AFTER_CREATE`, see `docs/reliability.md`); the next apply must converge
//! with exactly one object, and a re-plan must be clean. Once with `local_file` (no peer), once
//! with `aws_instance` against moto, counting the emulator's instances by Plinth's bookkeeping tag
//! through boto3, never through Plinth; with the types adopted by their unique name (S3 bucket,
//! IAM role and policy, SageMaker pipeline); and the client tokens of the EC2 creates, as moto
//! recorded the requests it received (moto does not honour them).

mod support;

use std::os::unix::process::ExitStatusExt;
use std::process::Output;

use support::cli::{Dir, expect_code, stderr, stdout};

const KILL: &str = "PLINTH_FAULT_KILL_AFTER_CREATE";

/// Asserts that `o` is the process the fault hook aborted (SIGABRT), having said so.
#[track_caller]
fn aborted_after_create(o: &Output, address: &str) {
    assert_eq!(
        o.status.signal(),
        Some(6),
        "expected an abort, got {:?}\n{}\n{}",
        o.status,
        stdout(o),
        stderr(o)
    );
    assert!(
        stderr(o).contains(&format!("aborting after the create of {address}")),
        "{}",
        stderr(o)
    );
}

#[test]
fn a_crash_after_a_local_create_converges_on_the_next_apply() {
    let d = Dir::with(
        r#"
resource "local_file" "a" {
  path     = "out/a.txt"
  content  = "one"
}

resource "local_file" "b" {
  path     = "out/b.txt"
  content  = "${local_file.a.content} and two"
}
"#,
    );
    let crashed = d.run_env(&["apply", "--auto-approve"], &[(KILL, "local_file.b")]);
    aborted_after_create(&crashed, "local_file.b");
    // b is on disk, and state does not know of it; a, finished before, is recorded.
    assert_eq!(d.read("out/b.txt"), "one and two");
    let listed = d.run(&["state", "list"]);
    expect_code(&listed, 0);
    assert_eq!(stdout(&listed).trim(), "local_file.a", "{}", stderr(&listed));
    // No unlock needed; the next apply converges, and makes b only once.
    let again = d.run(&["apply", "--auto-approve"]);
    expect_code(&again, 0);
    assert!(stdout(&again).contains("1 added"), "{}", stdout(&again));
    let listed = d.run(&["state", "list"]);
    assert_eq!(stdout(&listed).trim(), "local_file.a\nlocal_file.b");
    let mut files: Vec<String> = std::fs::read_dir(d.join("out"))
        .expect("out/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["a.txt", "b.txt"]);
    expect_code(&d.run(&["plan", "--detailed-exitcode"]), 0);
}

#[test]
fn the_fault_hook_is_inert_for_another_address() {
    let d = Dir::with(
        r#"
resource "local_file" "a" {
  path     = "a.txt"
  content  = "one"
}
"#,
    );
    let o = d.run_env(&["apply", "--auto-approve"], &[(KILL, "local_file.elsewhere")]);
    expect_code(&o, 0);
    expect_code(&d.run(&["plan", "--detailed-exitcode"]), 0);
}

#[cfg(feature = "aws")]
mod aws {
    use support::moto::{boto3, moto, output_text, run_plinth};

    use super::*;

    /// The ids of the live (pending or running) instances moto holds for `address`, by the
    /// bookkeeping tag Plinth sets, and the tags of the first, as boto3 sees them.
    fn live_instances(endpoint: &str, address: &str) -> Vec<String> {
        let out = boto3(
            endpoint,
            &["ec2"],
            &format!(
                "r = ec2.describe_instances(Filters=[{{'Name': 'tag:plinth:address', 'Values': [{address:?}]}}, \
                 {{'Name': 'instance-state-name', 'Values': ['pending', 'running']}}])\n\
                 out(sorted(i['InstanceId'] for res in r['Reservations'] for i in res['Instances']))"
            ),
        );
        serde_json::from_str(&out).expect("a JSON list of ids")
    }

    fn state_id(dir: &std::path::Path, endpoint: &str, address: &str) -> String {
        let o = run_plinth(dir, endpoint, &["state", "show", address], &[]);
        assert!(o.status.success(), "{}", output_text(&o));
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        text.lines()
            .find_map(|l| {
                let l = l.trim();
                l.strip_prefix("id")
                    .map(|r| r.trim_start())
                    .and_then(|r| r.strip_prefix('='))
                    .map(|r| r.trim().trim_matches('"').to_string())
            })
            .unwrap_or_else(|| panic!("no id in\n{text}"))
    }

    const CONFIG: &str = r#"
resource "aws_instance" "web" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  tags          = { Name = "web" }

  lifecycle {
    create_before_destroy = true
  }
}
"#;

    #[test]
    fn a_crash_after_run_instances_leaves_exactly_one_instance() {
        let m = moto();
        let d = Dir::with(CONFIG);
        let root = d.path();
        let address = "aws_instance.web";
        let crashed = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[(KILL, address)]);
        aborted_after_create(&crashed, address);
        let made = live_instances(&m.1, address);
        assert_eq!(made.len(), 1, "the crashed apply launched one instance: {made:?}");
        let listed = run_plinth(root, &m.1, &["state", "list"], &[]);
        assert!(listed.status.success(), "{}", output_text(&listed));
        assert_eq!(
            String::from_utf8_lossy(&listed.stdout).trim(),
            "",
            "state does not know it"
        );

        // The next apply adopts the instance instead of launching another.
        let again = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[]);
        assert!(again.status.success(), "{}", output_text(&again));
        assert_eq!(live_instances(&m.1, address), made, "no duplicate");
        assert_eq!(state_id(root, &m.1, address), made[0]);
        // The bookkeeping tags are on the instance, and nowhere in tags or tags_all.
        let tags = boto3(
            &m.1,
            &["ec2"],
            &format!(
                "r = ec2.describe_tags(Filters=[{{'Name': 'resource-id', 'Values': [{:?}]}}])\n\
                 out(sorted(t['Key'] for t in r['Tags']))",
                made[0]
            ),
        );
        assert_eq!(tags, r#"["Name", "plinth:address", "plinth:lineage"]"#);
        let shown = run_plinth(root, &m.1, &["state", "show", address], &[]);
        assert!(
            !String::from_utf8_lossy(&shown.stdout).contains("plinth:"),
            "{}",
            output_text(&shown)
        );
        let plan = run_plinth(root, &m.1, &["plan", "--detailed-exitcode"], &[]);
        assert_eq!(plan.status.code(), Some(0), "re-plan is clean\n{}", output_text(&plan));

        // A replacement under create_before_destroy, with the same values: the old instance
        // carries the same tags and is still running while the new one is made, and is not
        // taken for it.
        let tainted = run_plinth(root, &m.1, &["taint", address], &[]);
        assert!(tainted.status.success(), "{}", output_text(&tainted));
        let replaced = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[]);
        assert!(replaced.status.success(), "{}", output_text(&replaced));
        let now = live_instances(&m.1, address);
        assert_eq!(now.len(), 1, "{now:?}");
        assert_ne!(now, made, "a new instance replaced the old one");
        assert_eq!(state_id(root, &m.1, address), now[0]);

        // The same replacement killed right after its RunInstances: the next apply adopts the
        // new instance (not the old one, still in state as deposed) and deletes the old one.
        let tainted = run_plinth(root, &m.1, &["taint", address], &[]);
        assert!(tainted.status.success(), "{}", output_text(&tainted));
        let crashed = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[(KILL, address)]);
        aborted_after_create(&crashed, address);
        let both = live_instances(&m.1, address);
        assert_eq!(both.len(), 2, "old and new: {both:?}");
        let again = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[]);
        assert!(again.status.success(), "{}", output_text(&again));
        let last = live_instances(&m.1, address);
        assert_eq!(last.len(), 1, "{last:?}");
        assert!(
            both.contains(&last[0]) && last != now,
            "the crashed run's instance was adopted: {both:?} -> {last:?}"
        );
        assert_eq!(state_id(root, &m.1, address), last[0]);
        let plan = run_plinth(root, &m.1, &["plan", "--detailed-exitcode"], &[]);
        assert_eq!(plan.status.code(), Some(0), "re-plan is clean\n{}", output_text(&plan));

        let destroyed = run_plinth(root, &m.1, &["destroy", "--auto-approve"], &[]);
        assert!(destroyed.status.success(), "{}", output_text(&destroyed));
        assert!(live_instances(&m.1, address).is_empty());
    }
    /// A chain of named objects, each created after the one before (a dependency), so that a
    /// kill right after one's create leaves the ones before recorded and none after started.
    const NAMED: &str = r#"
resource "aws_s3_bucket" "data" {
  bucket        = "adopt-data"
  force_destroy = true
  tags          = { team = "ml" }
}

resource "aws_iam_role" "app" {
  name        = "adopt-app"
  description = aws_s3_bucket.data.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "generated" {
  name_prefix = "adopt-gen-"
  description = aws_iam_role.app.name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_policy" "read" {
  name        = "adopt-read"
  description = aws_iam_role.generated.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = ["${aws_s3_bucket.data.arn}/*"] }]
  })
}

resource "aws_sagemaker_pipeline" "train" {
  pipeline_name         = "adopt-train"
  pipeline_display_name = "adopt-train"
  pipeline_description  = aws_iam_policy.read.arn
  role_arn              = aws_iam_role.app.arn
  pipeline_definition = jsonencode({
    Version = "2020-12-01"
    Steps = [{
      Name      = "Train"
      Type      = "Training"
      Arguments = { RoleArn = aws_iam_role.app.arn }
    }]
  })
}
"#;

    /// How many objects of each named kind moto holds (boto3), and the bookkeeping tag keys of
    /// the bucket and the first role.
    fn named_objects(endpoint: &str) -> serde_json::Value {
        support::moto::boto3_json(
            endpoint,
            &["s3", "iam", "sagemaker"],
            "def tagkeys(f):\n\
             \x20   try:\n\
             \x20       return sorted(t['Key'] for t in f())\n\
             \x20   except botocore.exceptions.ClientError:\n\
             \x20       return []\n\
             out({\n\
             \x20 'buckets': len([b for b in s3.list_buckets()['Buckets'] if b['Name'].startswith('adopt-')]),\n\
             \x20 'roles': sorted(r['RoleName'][:10] for r in iam.list_roles()['Roles'] if r['RoleName'].startswith('adopt-')),\n\
             \x20 'policies': len([x for x in iam.list_policies(Scope='Local')['Policies'] if x['PolicyName'].startswith('adopt-')]),\n\
             \x20 'pipelines': len(sagemaker.list_pipelines()['PipelineSummaries']),\n\
             \x20 'bucket_tags': tagkeys(lambda: s3.get_bucket_tagging(Bucket='adopt-data')['TagSet']),\n\
             \x20 'role_tags': tagkeys(lambda: iam.list_role_tags(RoleName='adopt-app')['Tags']),\n\
             })",
        )
    }

    #[test]
    fn named_creates_killed_after_the_call_are_adopted_by_the_next_apply() {
        let m = moto();
        let d = Dir::with(NAMED);
        let root = d.path();
        let chain = [
            "aws_s3_bucket.data",
            "aws_iam_role.app",
            "aws_iam_role.generated",
            "aws_iam_policy.read",
            "aws_sagemaker_pipeline.train",
        ];
        // Each apply is killed right after the next object's create: the object exists, the
        // state does not know it, and the following apply must adopt it (it is answered
        // "already exists", or for the generated name, asks for the same name again).
        for (n, address) in chain.iter().enumerate() {
            let crashed = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[(KILL, address)]);
            aborted_after_create(&crashed, address);
            let listed = run_plinth(root, &m.1, &["state", "list"], &[]);
            assert!(listed.status.success(), "{}", output_text(&listed));
            let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
            let listed: Vec<&str> = listed.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            let mut want = chain[..n].to_vec();
            want.sort();
            assert_eq!(listed, want, "only the objects before {address} are recorded");
        }
        let again = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[]);
        assert!(again.status.success(), "{}", output_text(&again));
        let objects = named_objects(&m.1);
        assert_eq!(
            objects,
            serde_json::json!({
                "buckets": 1,
                "roles": ["adopt-app", "adopt-gen-"],
                "policies": 1,
                "pipelines": 1,
                "bucket_tags": ["plinth:address", "plinth:lineage", "team"],
                "role_tags": ["plinth:address", "plinth:lineage"],
            }),
            "exactly one object each, with Plinth's bookkeeping tags"
        );
        let shown = run_plinth(root, &m.1, &["state", "show", "aws_s3_bucket.data"], &[]);
        assert!(
            !String::from_utf8_lossy(&shown.stdout).contains("plinth:"),
            "{}",
            output_text(&shown)
        );
        let plan = run_plinth(root, &m.1, &["plan", "--detailed-exitcode"], &[]);
        assert_eq!(plan.status.code(), Some(0), "re-plan is clean\n{}", output_text(&plan));
        // A tag change keeps the bookkeeping tags (S3 replaces a bucket's whole tag set).
        d.write("main.hcl", &NAMED.replace("team = \"ml\"", "team = \"data\""));
        let retagged = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[]);
        assert!(retagged.status.success(), "{}", output_text(&retagged));
        assert_eq!(
            named_objects(&m.1)["bucket_tags"],
            serde_json::json!(["plinth:address", "plinth:lineage", "team"])
        );
        let destroyed = run_plinth(root, &m.1, &["destroy", "--auto-approve"], &[]);
        assert!(destroyed.status.success(), "{}", output_text(&destroyed));
    }

    #[test]
    fn an_existing_object_this_state_did_not_make_is_refused_with_how_to_import_it() {
        let m = moto();
        support::moto::boto3(
            &m.1,
            &["iam", "s3"],
            "iam.create_role(RoleName='taken', AssumeRolePolicyDocument='{}')\n\
             s3.create_bucket(Bucket='taken-bucket')\n\
             print('ok')",
        );
        let d = Dir::with(
            r#"
resource "aws_iam_role" "taken" {
  name               = "taken"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}

resource "aws_s3_bucket" "taken" {
  bucket = "taken-bucket"
}
"#,
        );
        let o = run_plinth(d.path(), &m.1, &["apply", "--auto-approve"], &[]);
        assert!(!o.status.success(), "{}", output_text(&o));
        let text = output_text(&o);
        for want in [
            "aws_iam_role.taken",
            "plinth import aws_iam_role.taken taken",
            "aws_s3_bucket.taken",
            "plinth import aws_s3_bucket.taken taken-bucket",
        ] {
            assert!(text.contains(want), "{want:?} in\n{text}");
        }
        let listed = run_plinth(d.path(), &m.1, &["state", "list"], &[]);
        assert_eq!(String::from_utf8_lossy(&listed.stdout).trim(), "", "nothing adopted");
    }

    const TOKENS: &str = r#"
resource "aws_vpc" "main" {
  cidr_block = "10.9.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.9.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "gw" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.a.id
}

resource "aws_route_table" "rt" {
  vpc_id = aws_vpc.main.id
}

resource "aws_network_acl" "acl" {
  vpc_id = aws_vpc.main.id
}

resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.s3"
}

resource "aws_s3_bucket" "logs" {
  bucket        = "token-flow-logs"
  force_destroy = true
}

resource "aws_flow_log" "vpc" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.logs.arn
}

resource "aws_ebs_volume" "data" {
  availability_zone = aws_subnet.a.availability_zone
  size              = 1
}

resource "aws_launch_template" "lt" {
  name_prefix   = "token-"
  image_id      = "ami-12c6146b"
  instance_type = "t3.micro"
}

resource "aws_spot_instance_request" "spot" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.a.id
  spot_price    = "0.5"
}

resource "aws_instance" "web" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.a.id
}
"#;

    /// The EC2 create actions the configuration above makes, each with a `ClientToken`.
    const TOKENED: [&str; 10] = [
        "CreateNatGateway",
        "CreateRouteTable",
        "CreateNetworkAcl",
        "CreateEgressOnlyInternetGateway",
        "CreateVpcEndpoint",
        "CreateFlowLogs",
        "CreateVolume",
        "CreateLaunchTemplate",
        "RequestSpotInstances",
        "RunInstances",
    ];

    /// The `ClientToken` of each EC2 request moto recorded (its own request recorder, started
    /// with `MOTO_ENABLE_RECORDING`), by action, in the order received.
    fn recorded_tokens(recording: &std::path::Path) -> std::collections::BTreeMap<String, Vec<String>> {
        let out = std::process::Command::new("python3")
            .arg("-c")
            .arg(
                "import base64, json, sys, urllib.parse\n\
                 by = {}\n\
                 for line in open(sys.argv[1]):\n\
                 \x20   e = json.loads(line)\n\
                 \x20   body = e.get('body') or ''\n\
                 \x20   if e.get('body_encoded'):\n\
                 \x20       body = base64.b64decode(body).decode('utf-8', 'replace')\n\
                 \x20   q = urllib.parse.parse_qs(body)\n\
                 \x20   if 'Action' in q:\n\
                 \x20       by.setdefault(q['Action'][0], []).append(q.get('ClientToken', [''])[0])\n\
                 print(json.dumps(by))",
            )
            .arg(recording)
            .output()
            .expect("python3");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("JSON")
    }

    #[test]
    fn ec2_creates_send_a_client_token_that_a_repeated_create_repeats() {
        let recording = tempfile::NamedTempFile::new().expect("a recording file");
        let path = recording.path().to_string_lossy().into_owned();
        let m = support::moto::moto_with_env(&[("MOTO_ENABLE_RECORDING", "True"), ("MOTO_RECORDER_FILEPATH", &path)]);
        let d = Dir::with(TOKENS);
        let root = d.path();
        // Killed right after CreateVolume returns (the network it waits for is recorded by then):
        // the next apply creates the volume again.
        let crashed = run_plinth(
            root,
            &m.1,
            &["apply", "--auto-approve"],
            &[(KILL, "aws_ebs_volume.data")],
        );
        aborted_after_create(&crashed, "aws_ebs_volume.data");
        let again = run_plinth(root, &m.1, &["apply", "--auto-approve"], &[]);
        assert!(again.status.success(), "{}", output_text(&again));
        let plan = run_plinth(root, &m.1, &["plan", "--detailed-exitcode"], &[]);
        assert_eq!(plan.status.code(), Some(0), "re-plan is clean\n{}", output_text(&plan));

        let tokens = recorded_tokens(recording.path());
        let uuid = |t: &str| {
            t.len() == 36
                && t.char_indices().all(|(i, c)| {
                    if [8, 13, 18, 23].contains(&i) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                })
        };
        let mut seen = std::collections::BTreeSet::new();
        for action in TOKENED {
            let sent = tokens
                .get(action)
                .unwrap_or_else(|| panic!("no {action} recorded: {tokens:?}"));
            assert!(sent.iter().all(|t| uuid(t)), "{action} sent {sent:?}");
            // Every call of one create (one address here) carried the same token.
            assert!(sent.iter().all(|t| *t == sent[0]), "{action} sent {sent:?}");
            assert!(seen.insert(sent[0].clone()), "{action}'s token is another create's too");
        }
        assert_eq!(
            tokens["CreateVolume"].len(),
            2,
            "the volume's create was repeated after the kill, with the same token"
        );
    }
}
