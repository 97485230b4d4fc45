//! The API index (`GET /`): every relation the Pact clients discover (pact-broker-api.md §2).

use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

use crate::http::hal::{Links, ok};

/// `GET /`.
pub async fn get_index(request: HttpRequest) -> HttpResponse {
    let links = Links::from_request(&request);
    let t = |template: &str| links.template(template);
    ok(json!({
        "_links": {
            "self": { "href": links.url(&[]), "title": "Index" },
            "pb:publish-contracts": { "href": links.url(&["contracts", "publish"]), "title": "Publish contracts" },
            "pb:publish-pact": t("/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}"),
            "pb:latest-pact-versions": { "href": links.url(&["pacts", "latest"]), "title": "Latest pact versions" },
            "pb:pacticipants": { "href": links.url(&["pacticipants"]), "title": "Pacticipants" },
            "pb:pacticipant": t("/pacticipants/{pacticipant}"),
            "pb:pacticipant-version": t("/pacticipants/{pacticipant}/versions/{version}"),
            "pb:pacticipant-version-tag": t("/pacticipants/{pacticipant}/versions/{version}/tags/{tag}"),
            "pb:pacticipant-branch": t("/pacticipants/{pacticipant}/branches/{branch}"),
            "pb:pacticipant-branch-version": t("/pacticipants/{pacticipant}/branches/{branch}/versions/{version}"),
            "pb:latest-version": t("/pacticipants/{pacticipant}/latest-version"),
            "pb:latest-tagged-version": t("/pacticipants/{pacticipant}/latest-version/{tag}"),
            "pb:latest-provider-pacts": t("/pacts/provider/{provider}/latest"),
            "pb:latest-provider-pacts-with-tag": t("/pacts/provider/{provider}/latest/{tag}"),
            "pb:provider-pacts-with-tag": t("/pacts/provider/{provider}/tag/{tag}"),
            "pb:provider-pacts": t("/pacts/provider/{provider}"),
            "pb:provider-pacts-with-main-branch": t("/pacts/provider/{provider}/branch"),
            "pb:provider-pacts-with-branch": t("/pacts/provider/{provider}/branch/{branch}"),
            "pb:latest-provider-pacts-with-main-branch": t("/pacts/provider/{provider}/branch/latest"),
            "pb:latest-provider-pacts-with-branch": t("/pacts/provider/{provider}/branch/{branch}/latest"),
            "pb:branch-pact-versions": t("/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}"),
            "pb:latest-branch-pact-versions": t("/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions"),
            "pb:main-branch-pact-versions": t("/pacts/provider/{provider}/consumer/{consumer}/branch/versions"),
            "pb:latest-main-branch-pact-versions": t("/pacts/provider/{provider}/consumer/{consumer}/branch/latest/versions"),
            "pb:provider-pacts-for-verification": t("/pacts/provider/{provider}/for-verification"),
            "beta:provider-pacts-for-verification": t("/pacts/provider/{provider}/for-verification"),
            "pb:can-i-deploy-pacticipant-version-to-tag": t("/can-i-deploy?pacticipant={pacticipant}&version={version}&to={tag}"),
            "pb:can-i-deploy-pacticipant-version-to-environment": t("/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}"),
            "pb:environments": { "href": links.url(&["environments"]), "title": "Environments" },
            "pb:environment": t("/environments/{uuid}"),
            "pb:webhooks": { "href": links.url(&["webhooks"]), "title": "Webhooks" },
            "pb:webhook": t("/webhooks/{uuid}"),
            "pb:overdue-verifications": { "href": links.url(&["verifications", "overdue"]), "title": "Required verifications still missing (Treaty's watchdog)" },
            "curies": [{ "name": "pb", "href": format!("{}/{{rel}}", links.url(&["doc"])), "templated": true }],
        }
    }))
}
