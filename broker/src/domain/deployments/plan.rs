//! The rule of what recording a deployment does, as a pure function over the versions of the
//! pacticipant currently deployed in the environment, tested as a table.

/// A version of the pacticipant currently deployed in the environment, as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentDeployment {
    /// The deployment's id.
    pub id: i64,
    /// The deployed version's id.
    pub version_id: i64,
    /// Its application instance.
    pub application_instance: Option<String>,
}

/// What recording a deployment does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeploymentPlan {
    /// The version is already deployed to that instance: answer with that deployment.
    AlreadyDeployed {
        /// The existing deployment's id.
        id: i64,
    },
    /// Record a new deployment after ending these (the other versions in that instance).
    Deploy {
        /// Deployments to mark undeployed first.
        undeploy: Vec<i64>,
    },
}

/// The Pact Broker's rule: the same version already deployed to the same instance (no
/// instance counts as one instance of its own) is kept; otherwise every other version deployed
/// to that instance is undeployed, and other instances are left alone.
pub fn plan_deployment(
    current: &[CurrentDeployment],
    version_id: i64,
    application_instance: Option<&str>,
) -> DeploymentPlan {
    let same_instance = |deployment: &&CurrentDeployment| {
        deployment.application_instance.as_deref() == application_instance
    };
    if let Some(existing) = current
        .iter()
        .filter(same_instance)
        .find(|deployment| deployment.version_id == version_id)
    {
        return DeploymentPlan::AlreadyDeployed { id: existing.id };
    }
    DeploymentPlan::Deploy {
        undeploy: current
            .iter()
            .filter(same_instance)
            .map(|deployment| deployment.id)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current(id: i64, version_id: i64, instance: Option<&str>) -> CurrentDeployment {
        CurrentDeployment {
            id,
            version_id,
            application_instance: instance.map(str::to_owned),
        }
    }

    /// A case's name, what is deployed now, the version and instance being deployed, the plan.
    type Case = (
        &'static str,
        Vec<CurrentDeployment>,
        i64,
        Option<&'static str>,
        DeploymentPlan,
    );

    #[test]
    fn deployment_plan_table() {
        use DeploymentPlan::{AlreadyDeployed, Deploy};
        let cases: Vec<Case> = vec![
            (
                "first deployment",
                vec![],
                7,
                None,
                Deploy { undeploy: vec![] },
            ),
            (
                "replaces the previous version",
                vec![current(1, 6, None)],
                7,
                None,
                Deploy { undeploy: vec![1] },
            ),
            (
                "same version again keeps the record",
                vec![current(1, 7, None)],
                7,
                None,
                AlreadyDeployed { id: 1 },
            ),
            (
                "another instance is left alone",
                vec![current(1, 6, Some("blue"))],
                7,
                None,
                Deploy { undeploy: vec![] },
            ),
            (
                "replaces within the instance only",
                vec![current(1, 6, Some("blue")), current(2, 6, Some("green"))],
                7,
                Some("blue"),
                Deploy { undeploy: vec![1] },
            ),
            (
                "no instance is not an instance",
                vec![current(1, 6, None)],
                7,
                Some("blue"),
                Deploy { undeploy: vec![] },
            ),
            (
                "same version in another instance is a new deployment",
                vec![current(1, 7, Some("green"))],
                7,
                Some("blue"),
                Deploy { undeploy: vec![] },
            ),
            (
                "same version in the same instance",
                vec![current(1, 7, Some("blue")), current(2, 6, Some("green"))],
                7,
                Some("blue"),
                AlreadyDeployed { id: 1 },
            ),
            (
                "several stale deployments all end",
                vec![current(1, 5, None), current(2, 6, None)],
                7,
                None,
                Deploy {
                    undeploy: vec![1, 2],
                },
            ),
        ];
        for (name, current, version_id, instance, expected) in cases {
            assert_eq!(
                plan_deployment(&current, version_id, instance),
                expected,
                "{name}"
            );
        }
    }
}
