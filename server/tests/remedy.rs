//! The remediation loop on the dashboard, over loopback HTTP: sign-in, sessions and CSRF; a 单位
//! account sees and answers only its own unit's problems (another unit's is not found by page, by
//! API or by guessing an id); the office decides a dispute; sign-in attempts are limited; every
//! answer is in the problem's log.

use reqwest::header::COOKIE;
use serde_json::Value;
use xunjian_fixture::{serve, DistrictSpec, DEMO_DISTRICT};
use xunjian_model::Role;

mod common;
use common::{
    add_users, client, csrf_in, finished_after, get, json_as, post, sign_in, Manual, Running,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn units_answer_only_their_own_problems_and_every_answer_is_logged() {
    let spec = DistrictSpec::from_toml(DEMO_DISTRICT).unwrap();
    let district = serve(&spec).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let clock = Manual::at("2025-09-30T23:10:00+08:00");
    let service = Running::start(
        work.path(),
        &district.seeds_toml,
        district.as_of,
        clock.clone(),
    )
    .await;
    let addr = service.addr;
    // The nightly crawl judges the district: its findings become problems.
    finished_after(addr, "crawl", clock.set("2025-10-01T01:00:10+08:00")).await;
    let store = service.store.clone();
    let problems = store.problems(None).await.unwrap();
    assert!(!problems.is_empty());
    let mine = problems
        .iter()
        .find(|p| p.unit == "zfb")
        .expect("a zfb problem")
        .id;
    let theirs = problems
        .iter()
        .find(|p| p.unit != "zfb")
        .expect("another unit's");
    let (theirs_id, theirs_unit) = (theirs.id, theirs.unit.clone());

    // Before any account exists the dashboard is open to read; then accounts are added.
    let (status, body) = get(addr, None, "/problems").await;
    assert_eq!(status, 200, "{body}");
    add_users(
        &service,
        district.as_of,
        &[
            ("li", Role::Unit, Some("zfb")),
            ("office", Role::Office, None),
            ("look", Role::Viewer, None),
        ],
    )
    .await;
    // Now nothing is shown without a session: pages go to the sign-in page, the API says 401.
    let (status, _) = get(addr, None, "/problems").await;
    assert_eq!(status, 303);
    assert_eq!(get(addr, None, "/api/problems").await.0, 401);
    assert_eq!(get(addr, None, "/api/targets").await.0, 401);

    // A wrong password is refused; the right one starts a session in a strict, HttpOnly cookie.
    assert_eq!(sign_in(addr, "li", "wrong secret").await, (401, None));
    let (status, cookie) = sign_in(addr, "li", "a long secret").await;
    assert_eq!(status, 303);
    let cookie = cookie.expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let li = cookie.split(';').next().unwrap().to_string();

    // The unit sees its own problems only, and none of another unit's by any road.
    let rows = json_as(addr, &li, "/api/problems").await;
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["unit"] == "zfb"), "{rows:?}");
    assert_eq!(
        get(addr, Some(&li), &format!("/problems/{theirs_id}"))
            .await
            .0,
        404
    );
    assert_eq!(
        get(addr, Some(&li), &format!("/api/problems/{theirs_id}"))
            .await
            .0,
        404
    );
    assert_eq!(get(addr, Some(&li), "/problems/999999").await.0, 404);
    let targets = json_as(addr, &li, "/api/targets").await;
    assert!(targets["targets"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["unit"] == "zfb"));
    let seeds = xunjian_core::load_seeds(&service.seeds_path).unwrap();
    let other_site = seeds
        .seeds
        .sites
        .iter()
        .find(|s| s.unit != "zfb")
        .expect("another unit's site");
    assert_eq!(
        get(addr, Some(&li), &format!("/targets/{}", other_site.id))
            .await
            .0,
        404
    );
    assert_eq!(
        get(addr, Some(&li), "/runs").await.0,
        404,
        "the district's runs are the office's"
    );

    // Answering: the page offers the unit's answers and carries the session's CSRF token.
    let (status, page) = get(addr, Some(&li), &format!("/problems/{mine}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("单位报告已整改") && page.contains("单位申诉"),
        "{page}"
    );
    assert!(!page.contains("办公室认定误报"));
    let csrf = csrf_in(&page);
    let act = format!("/problems/{mine}/act");
    let answer = |csrf: &str| {
        vec![
            ("action", "report_fixed".to_string()),
            ("expected", "open".to_string()),
            ("note", "已补发最新信息".to_string()),
            ("csrf", csrf.to_string()),
        ]
    };
    let send = |v: Vec<(&'static str, String)>| {
        let li = li.clone();
        let act = act.clone();
        async move {
            let pairs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post(addr, &li, &act, &pairs).await
        }
    };
    assert_eq!(send(answer("forged")).await.0, 403, "a forged CSRF token");
    assert_eq!(send(answer(&csrf)).await.0, 303);
    assert_eq!(send(answer(&csrf)).await.0, 409, "already answered");
    let p = store.problem(mine).await.unwrap().unwrap();
    assert_eq!(p.state, xunjian_model::ProblemState::Fixed);
    // Another unit's problem cannot be answered, even with a valid token and a guessed id.
    let theirs_act = format!("/problems/{theirs_id}/act");
    let (status, _) = post(
        addr,
        &li,
        &theirs_act,
        &[
            ("action", "report_fixed"),
            ("expected", "open"),
            ("note", "x"),
            ("csrf", &csrf),
        ],
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        store.problem(theirs_id).await.unwrap().unwrap().state,
        xunjian_model::ProblemState::Open
    );

    // The unit disputes a second problem; the office decides it 误报; the viewer can do nothing.
    let second = rows
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .find(|id| *id != mine)
        .expect("a second zfb problem");
    let dispute = format!("/problems/{second}/act");
    let (status, _) = post(
        addr,
        &li,
        &dispute,
        &[
            ("action", "dispute"),
            ("expected", "open"),
            ("note", "栏目已于9月更新"),
            ("csrf", &csrf),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let office = sign_in(addr, "office", "a long secret").await.1.unwrap();
    let office = office.split(';').next().unwrap().to_string();
    let (_, page) = get(addr, Some(&office), &format!("/problems/{second}")).await;
    assert!(page.contains("办公室认定误报") && page.contains("办公室维持原判"));
    let office_csrf = csrf_in(&page);
    // The office sees every unit.
    let all = json_as(addr, &office, "/api/problems").await;
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["unit"] == theirs_unit.as_str()));
    let look = sign_in(addr, "look", "a long secret").await.1.unwrap();
    let look = look.split(';').next().unwrap().to_string();
    let (_, look_page) = get(addr, Some(&look), &format!("/problems/{second}")).await;
    let look_csrf = csrf_in(&look_page);
    let decide = |csrf: &str| {
        vec![
            ("action", "mark_false_positive".to_string()),
            ("expected", "disputed".to_string()),
            ("note", "经核实栏目已更新".to_string()),
            ("csrf", csrf.to_string()),
        ]
    };
    let pairs = |v: &Vec<(&str, String)>| -> Vec<(String, String)> {
        v.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    };
    let post_owned = |session: String, v: Vec<(String, String)>| {
        let dispute = dispute.clone();
        async move {
            let refs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post(addr, &session, &dispute, &refs).await
        }
    };
    assert_eq!(
        post_owned(look.clone(), pairs(&decide(&look_csrf))).await.0,
        403
    );
    assert_eq!(
        post_owned(li.clone(), pairs(&decide(&csrf))).await.0,
        403,
        "a unit decides nothing"
    );
    assert_eq!(
        post_owned(office.clone(), pairs(&decide(&office_csrf)))
            .await
            .0,
        303
    );
    let log: Vec<(String, String)> = json_as(addr, &office, &format!("/api/problems/{second}"))
        .await["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        log,
        [
            ("xunjian".to_string(), "found".to_string()),
            ("li".to_string(), "dispute".to_string()),
            ("office".to_string(), "mark_false_positive".to_string()),
        ]
    );
    let (_, page) = get(addr, Some(&office), &format!("/problems/{second}")).await;
    assert!(page.contains("经核实栏目已更新") && page.contains("误报"));

    // Signing out ends the session.
    let (_, page) = get(addr, Some(&li), "/problems").await;
    let (status, _) = post(addr, &li, "/logout", &[("csrf", &csrf_in(&page))]).await;
    assert_eq!(status, 303);
    assert_eq!(get(addr, Some(&li), "/api/problems").await.0, 401);

    // Sign-in attempts are limited: after five a minute, even the right password waits.
    for _ in 0..5 {
        sign_in(addr, "look", "wrong secret").await;
    }
    assert_eq!(sign_in(addr, "look", "a long secret").await.0, 429);
    service.stop().await.unwrap();
}

/// Poll the store until problem `id` is in `state` (at most a minute).
async fn until_state(store: &xunjian_core::Store, id: i64, state: xunjian_model::ProblemState) {
    for _ in 0..600 {
        if store.problem(id).await.unwrap().unwrap().state == state {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("problem {id} never became {state:?}");
}

/// The loop the issue asks for, end to end: the quarterly inspection; a unit signs in, sees only
/// its own problems, reports a broken link fixed (the fixture then mends it) and disputes another
/// problem; the office's 复查 closes the first; the office marks the second 误报; the next
/// quarter's 通报 reports the fix and leaves the 误报 out; every step is in the audit log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_remediation_loop_walks_from_one_quarter_to_the_next() {
    use xunjian_model::ProblemState;
    let spec = DistrictSpec::from_toml(DEMO_DISTRICT).unwrap();
    let district = serve(&spec).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let clock = Manual::at("2025-09-30T23:10:00+08:00");
    let service = Running::start(
        work.path(),
        &district.seeds_toml,
        district.as_of,
        clock.clone(),
    )
    .await;
    let (addr, store) = (service.addr, service.store.clone());
    finished_after(addr, "inspect", clock.set("2025-10-01T03:00:10+08:00")).await;
    let problems = store.problems(Some("zfb")).await.unwrap();
    let portal = &district.origins["portal"];
    let link = problems
        .iter()
        .find(|p| {
            p.key.rule == "link.broken"
                && p.key.object.starts_with(portal.as_str())
                && matches!(
                    &p.finding,
                    xunjian_model::Finding::LinkBroken {
                        status: Some(404),
                        ..
                    }
                )
        })
        .expect("a broken internal link of the portal");
    let column = problems
        .iter()
        .find(|p| p.key.rule == "column.stale")
        .expect("a stale column of the portal");
    let (link_id, column_id) = (link.id, column.id);
    let link_url = link.key.object.clone();
    let column_url = column.key.object.clone();
    let column_target = column.key.target.clone();

    add_users(
        &service,
        district.as_of,
        &[
            ("li", Role::Unit, Some("zfb")),
            ("office", Role::Office, None),
        ],
    )
    .await;
    // The unit: only its own problems; one reported fixed, one disputed.
    let li = sign_in(addr, "li", "a long secret").await.1.unwrap();
    let li = li.split(';').next().unwrap().to_string();
    let rows = json_as(addr, &li, "/api/problems").await;
    assert!(rows.as_array().unwrap().iter().all(|r| r["unit"] == "zfb"));
    let csrf = csrf_in(
        &get(addr, Some(&li), &format!("/problems/{link_id}"))
            .await
            .1,
    );
    // Its 整改通知: listed, downloadable, acknowledged (签收) once; another unit's is not found.
    let (status, notices) = get(addr, Some(&li), "/notices").await;
    assert_eq!(status, 200);
    assert!(notices.contains("notice-2025-09-30-zfb"), "{notices}");
    assert!(!notices.contains("notice-2025-09-30-jyj"));
    let r = client()
        .get(format!("http://{addr}/notices/2025-09-30/zfb.docx"))
        .header(COOKIE, &li)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.bytes().await.unwrap().starts_with(b"PK"),
        "a Word document"
    );
    let others = service.out.join("2025-09-30/notices");
    assert!(
        others.join("jyj.docx").exists(),
        "the other unit has a notice"
    );
    assert_eq!(
        get(addr, Some(&li), "/notices/2025-09-30/jyj.docx").await.0,
        404
    );
    assert_eq!(
        get(addr, Some(&li), "/notices/2025-09-30/..%2Fx.docx")
            .await
            .0,
        404
    );
    let (status, _) = post(addr, &li, "/notices/2025-09-30/zfb/ack", &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    let (status, _) = post(addr, &li, "/notices/2025-09-30/jyj/ack", &[("csrf", &csrf)]).await;
    assert_eq!(status, 404);
    assert!(get(addr, Some(&li), "/notices")
        .await
        .1
        .contains("已签收（li"));
    let answer = |id: i64, action: &'static str, note: &'static str| {
        let (li, csrf) = (li.clone(), csrf.clone());
        async move {
            let path = format!("/problems/{id}/act");
            let form = [
                ("action", action),
                ("expected", "open"),
                ("note", note),
                ("csrf", &csrf),
            ];
            post(addr, &li, &path, &form).await.0
        }
    };
    assert_eq!(answer(link_id, "report_fixed", "已恢复该页面").await, 303);
    assert_eq!(
        answer(column_id, "dispute", "该栏目为历史资料栏目").await,
        303
    );
    // The unit mends the page the link points to.
    let path = url::Url::parse(&link_url).unwrap().path().to_string();
    assert!(district.set_page(
        "portal",
        &path,
        200,
        "<html><head><title>已恢复</title></head><body><p>页面已恢复</p></body></html>",
    ));

    // The quiet account posts again: its feed now shows a post of today.
    let quiet = store
        .problems(None)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.key.rule == "account.stale")
        .expect("a quiet account");
    let xunjian_model::Finding::AccountStale {
        url: Some(feed), ..
    } = &quiet.finding
    else {
        panic!("{quiet:?}");
    };
    let feed_path = url::Url::parse(feed).unwrap().path().to_string();
    assert!(district.set_page(
        "platform",
        &feed_path,
        200,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>示范区发布</title>\
         <item><title>国庆假期安排</title><link>https://example.gov.cn/1</link>\
         <pubDate>Wed, 01 Oct 2025 08:00:00 +0800</pubDate></item></channel></rss>",
    ));

    // The office's 复查 closes the mended link; the disputed column is still stale, still disputed.
    let office = sign_in(addr, "office", "a long secret").await.1.unwrap();
    let office = office.split(';').next().unwrap().to_string();
    assert!(get(addr, Some(&office), "/notices")
        .await
        .1
        .contains("已签收（li"));
    let (_, list) = get(addr, Some(&office), "/problems").await;
    assert!(list.contains("复查未销号问题"));
    let office_csrf = csrf_in(&list);
    assert_eq!(
        post(addr, &office, "/recheck", &[("csrf", &office_csrf)])
            .await
            .0,
        303
    );
    until_state(&store, link_id, ProblemState::Closed).await;
    // The account's feed, fetched again, closes it too, with what showed it.
    until_state(&store, quiet.id, ProblemState::Closed).await;
    let log = store.problem_events(quiet.id).await.unwrap();
    let closed = log.last().unwrap();
    assert_eq!(closed.action, xunjian_model::Action::Gone);
    assert_eq!(
        closed.note.as_deref(),
        Some(format!("账号已更新，最新发布日期为2025-10-01（{feed}）").as_str())
    );
    // What each step saw is kept with the problem as WARC records: the 404 when it was found, and
    // the answer the 复查 closed it on; a unit downloads its own, and no other problem's.
    let detail = json_as(addr, &li, &format!("/api/problems/{link_id}")).await;
    let evidence = detail["evidence"].as_array().unwrap();
    assert_eq!(evidence[0]["kind_zh"], "首次发现", "{detail}");
    assert_eq!(evidence[0]["status"], 404);
    // The first evidence is led by what the run that found it recorded: its own 404.
    let first = evidence[0]["id"].as_i64().unwrap();
    let (status, warc) = get(
        addr,
        Some(&li),
        &format!("/problems/{link_id}/evidence/{first}"),
    )
    .await;
    assert_eq!(status, 200);
    let crawled = warc.split("WARC/1.0").nth(1).unwrap_or_default();
    assert!(
        crawled.contains("the run that found the problem")
            && crawled.contains("\"status\": 404")
            && crawled.contains("same_body_as_crawled"),
        "{warc}"
    );
    let last = evidence.last().unwrap();
    assert_eq!(last["kind_zh"], "复查");
    assert_eq!(last["status"], 200);
    let eid = last["id"].as_i64().unwrap();
    let (status, warc) = get(
        addr,
        Some(&li),
        &format!("/problems/{link_id}/evidence/{eid}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        warc.starts_with("WARC/1.0") && warc.contains("\"status\": 200"),
        "{warc}"
    );
    assert_eq!(
        get(
            addr,
            Some(&li),
            &format!("/problems/{column_id}/evidence/{eid}")
        )
        .await
        .0,
        404
    );
    // The 复查 looked at the disputed column too, and logged that it is still stale.
    for _ in 0..600 {
        let log = store.problem_events(column_id).await.unwrap();
        if log
            .iter()
            .any(|e| e.action == xunjian_model::Action::StillThere)
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        store.problem(column_id).await.unwrap().unwrap().state,
        ProblemState::Disputed
    );
    // The office decides the dispute: 误报.
    let form = [
        ("action", "mark_false_positive"),
        ("expected", "disputed"),
        ("note", "经核实为历史资料栏目"),
        ("csrf", office_csrf.as_str()),
    ];
    assert_eq!(
        post(addr, &office, &format!("/problems/{column_id}/act"), &form)
            .await
            .0,
        303
    );

    // The next quarter's inspection.
    // (Accounts exist now: the job board is read as the office, signed in again: a session lasts
    // hours, and a quarter has passed.)
    clock.set("2026-01-01T03:00:10+08:00");
    assert_eq!(
        get(addr, Some(&office), "/api/runs").await.0,
        401,
        "the old session ended"
    );
    let office = sign_in(addr, "office", "a long secret").await.1.unwrap();
    let office = office.split(';').next().unwrap().to_string();
    let dir = service.out.join("2025-12-31");
    for _ in 0..1200 {
        let runs = json_as(addr, &office, "/api/runs").await;
        let job = runs["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["job"] == "inspect")
            .cloned()
            .unwrap();
        assert_ne!(job["state"], "failed", "{job}");
        if job["state"] == "done" && dir.join("report.md").exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.contains("## 一、上季度通报问题整改情况"), "{report}");
    assert!(report.contains("## 二、总体情况"));
    assert!(report.contains("经核实为误报1个，不再通报"), "{report}");
    let section = report.split("## 二、总体情况").next().unwrap();
    assert!(section.contains("| 示范区人民政府办公室 |"), "{section}");
    assert!(section.contains("已报送"));
    // The unit's new notice says of each open problem when it was first seen, where it stands
    // and by when.
    let notice = std::fs::read_to_string(dir.join("notices/zfb.md")).unwrap();
    assert!(notice.contains("- 首次发现：2025-10-01"), "{notice}");
    assert!(notice.contains("- 状态：待整改（整改期限："), "{notice}");
    // The mended link is gone; the 误报 is not reported again.
    let csv = std::fs::read_to_string(dir.join("problems.csv")).unwrap();
    assert!(
        !csv.contains(&format!(",{link_url},")),
        "the fixed link is not listed again"
    );
    assert!(
        !csv.lines()
            .any(|l| l.contains("栏目更新不及时") && l.contains(&format!(",{column_url},"))),
        "the 误报 is left out"
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("findings.json")).unwrap()).unwrap();
    let listed = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["findings"].as_array().unwrap().iter())
        .any(|f| f["rule"] == "column.stale" && f["url"] == column_url.as_str());
    assert!(!listed, "the 误报 is not in findings.json either");
    // It is listed as dismissed on its target (its evidence unchanged), weighing on no veto.
    let portal_doc = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == column_target.as_str())
        .unwrap();
    assert!(
        portal_doc["dismissed"].as_array().is_some_and(|d| d
            .iter()
            .any(|f| f["rule"] == "column.stale" && f["url"] == column_url.as_str())),
        "{portal_doc}"
    );

    // Every step is in the audit log.
    let actions = |id: i64| {
        let store = store.clone();
        async move {
            store
                .problem_events(id)
                .await
                .unwrap()
                .into_iter()
                .map(|e| (e.actor, e.action.as_str().to_string()))
                .collect::<Vec<_>>()
        }
    };
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        actions(link_id).await,
        [
            s("xunjian", "found"),
            s("li", "report_fixed"),
            s("xunjian", "gone")
        ]
    );
    assert_eq!(
        actions(column_id).await,
        [
            s("xunjian", "found"),
            s("li", "dispute"),
            s("xunjian", "still_there"),
            s("office", "mark_false_positive")
        ]
    );
    assert_eq!(
        store.problem(column_id).await.unwrap().unwrap().state,
        ProblemState::FalsePositive
    );
    service.stop().await.unwrap();
}

/// 人工核验 in the dashboard: only the office records a look (the same checks as the CSV import,
/// refusals shown in Chinese with the values given back and nothing written); each unit sees the
/// records of its own accounts only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_records_manual_checks_and_units_see_their_own() {
    let spec = DistrictSpec::from_toml(DEMO_DISTRICT).unwrap();
    let district = serve(&spec).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let clock = Manual::at("2025-10-01T10:00:00+08:00");
    let service = Running::start(
        work.path(),
        &district.seeds_toml,
        district.as_of,
        clock.clone(),
    )
    .await;
    let (addr, store) = (service.addr, service.store.clone());
    add_users(
        &service,
        district.as_of,
        &[
            ("office", Role::Office, None),
            ("mz", Role::Unit, Some("mzj")),
            ("li", Role::Unit, Some("zfb")),
        ],
    )
    .await;
    let session = |name: &'static str| async move {
        let cookie = sign_in(addr, name, "a long secret").await.1.expect(name);
        cookie.split(';').next().unwrap().to_string()
    };
    let office = session("office").await;
    let (status, page) = get(addr, Some(&office), "/manual").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("尚无人工核验记录") && page.contains(r#"action="/manual""#));
    // The form offers the signed-in name as who looked.
    assert!(
        page.contains(r#"name="checked_by" value="office""#),
        "{page}"
    );
    let csrf = csrf_in(&page);
    let entry = |checked_at: &'static str, csrf: &str| {
        vec![
            ("account", "mzj-douyin".to_string()),
            ("last_post", "2025-09-01".to_string()),
            ("post_url", "https://www.douyin.com/video/7551".to_string()),
            ("checked_by", "王五".to_string()),
            ("checked_at", checked_at.to_string()),
            ("csrf", csrf.to_string()),
        ]
    };
    let send = |form: Vec<(&'static str, String)>, who: String| async move {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post(addr, &who, "/manual", &form).await
    };
    // A look in the future is refused, in Chinese, with the values given back; nothing is kept.
    let (status, body) = send(entry("2025-10-02 09:00", &csrf), office.clone()).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("未记录：核验时间2025-10-02 09:00晚于当前时间"),
        "{body}"
    );
    assert!(body.contains(r#"value="2025-10-02 09:00""#) && body.contains(r#"value="王五""#));
    assert!(store.manual_checks().await.unwrap().is_empty());
    // A wrong CSRF token, or a unit account, records nothing.
    assert_eq!(
        send(entry("2025-10-01 09:00", "forged"), office.clone())
            .await
            .0,
        403
    );
    let li = session("li").await;
    let li_csrf = csrf_in(&get(addr, Some(&li), "/problems").await.1);
    let (status, body) = send(entry("2025-10-01 09:00", &li_csrf), li.clone()).await;
    assert_eq!(status, 403, "{body}");
    assert!(store.manual_checks().await.unwrap().is_empty());
    // The office's look is kept, from the dashboard.
    let (status, _) = send(entry("2025-10-01 09:00", &csrf), office.clone()).await;
    assert_eq!(status, 303);
    let kept = store.manual_checks().await.unwrap();
    assert_eq!(kept.len(), 1);
    let k = &kept[0];
    assert_eq!(
        (k.account.as_str(), k.checked_by.as_str(), k.source.as_str()),
        ("mzj-douyin", "王五", "dashboard")
    );
    assert_eq!(k.checked_at, "2025-10-01T09:00:00+08:00");
    let (_, page) = get(addr, Some(&office), "/manual?added=1").await;
    assert!(page.contains("已记录，将在下一次分析时采用"), "{page}");
    // The unit of the account sees the record, without the form; another unit does not.
    let (_, page) = get(addr, Some(&session("mz").await), "/manual").await;
    assert!(page.contains(r#"id="manual-mzj-douyin""#), "{page}");
    assert!(
        page.contains("https://www.douyin.com/video/7551") && page.contains("2025-10-01 09:00")
    );
    assert!(!page.contains(r#"action="/manual""#));
    let (_, page) = get(addr, Some(&li), "/manual").await;
    assert!(
        !page.contains("mzj-douyin") && page.contains("尚无人工核验记录"),
        "{page}"
    );
    service.stop().await.unwrap();
}
