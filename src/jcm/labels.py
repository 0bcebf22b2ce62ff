"""The label catalogue: what people call each enumerated value the product stores.

Pages, exports meant for people and CLI text show ``label(lang, group, code)``, never the
code itself; machine exports (JSON, open data, the AEF) keep the codes. Each entry is
(English, Japanese). A code missing from its group is a defect: ``label`` then shows the
code (so nothing breaks), and the tests check every group is complete for its enumeration.
"""

from __future__ import annotations

from typing import Final

Entry = tuple[str, str]

LABELS: Final[dict[str, dict[str, Entry]]] = {
    "approval_kind": {
        "issue": ("Issuance", "発行"),
        "transfer": ("Transfer", "移転"),
        "external_transfer": ("External transfer", "国際移転"),
        "cancel": ("Cancellation", "取消"),
        "retire": ("Retirement", "償却"),
        "account_status": ("Account status change", "口座状態の変更"),
        "role_grant": ("Role grant", "役割の付与"),
    },
    "approval_reason": {
        "always": (
            "This kind of operation always needs a second person",
            "この種類の操作は常に第二の担当者の承認が必要です",
        ),
        "above_threshold": (
            "The quantity is above the four-eyes threshold",
            "数量が二者承認の閾値を超えています",
        ),
        "untrusted_receiver": (
            "The receiving account is not on the sender's trusted list",
            "受取口座が送付元の信頼口座に登録されていません",
        ),
        "government_holding": (
            "The units leave a government holding account",
            "政府保有口座からユニットが移動します",
        ),
        "privileged_role": (
            "Granting the administrator, secretariat or Joint Committee role needs a second "
            "administrator",
            "管理者・事務局・合同委員会の役割の付与には別の管理者の承認が必要です",
        ),
    },
    "approval_status": {
        "pending": ("Waiting for approval", "承認待ち"),
        "approved": ("Approved", "承認済み"),
        "rejected": ("Rejected", "却下"),
        "failed": ("Failed when run", "実行時に失敗"),
    },
    "account_kind": {
        "government_holding": ("Government holding account", "政府保有口座"),
        "participant_holding": ("Participant holding account", "参加者保有口座"),
        "cancellation": ("Cancellation account", "取消口座"),
        "retirement": ("Retirement account", "償却口座"),
    },
    "account_status": {
        "open": ("Open", "開設中"),
        "blocked": ("Blocked", "凍結"),
        "closed": ("Closed", "閉鎖"),
    },
    "transaction_kind": {
        "issuance": ("Issuance", "発行"),
        "transfer": ("Transfer", "移転"),
        "external_transfer": ("External transfer", "国際移転"),
        "cancellation": ("Cancellation", "取消"),
        "retirement": ("Retirement", "償却"),
    },
    "unit_state": {
        "held": ("Held", "保有"),
        "cancelled": ("Cancelled", "取消済み"),
        "retired": ("Retired", "償却済み"),
    },
    "mrv_work": {
        "verify": (
            "Verify: review the report, raise or close findings, give an opinion",
            "検証：報告書を確認し、指摘事項の提起・終了、意見の表明",
        ),
        "answer": ("Answer the verifier's findings", "検証機関の指摘事項に回答"),
        "request_issuance": ("Verified: request issuance", "検証済み：発行を申請"),
        "report": (
            "Draft: upload monitoring data and submit",
            "下書き：モニタリングデータをアップロードして提出",
        ),
        "assign": ("Submitted: assign a third-party entity", "提出済み：第三者機関を割り当て"),
    },
    "application_status": {
        "draft": ("Draft", "下書き"),
        "submitted": ("Submitted", "提出済"),
        "screened": ("Screened", "審査済"),
        "adopted": ("Adopted", "採択"),
        "rejected": ("Not adopted", "不採択"),
        "withdrawn": ("Withdrawn", "取下げ"),
    },
    "period_status": {
        "draft": ("Draft", "下書き"),
        "submitted": ("Submitted", "提出済み"),
        "under_verification": ("Under verification", "検証中"),
        "verified": ("Verified", "検証済み"),
        "rejected": ("Negative opinion", "否定的意見"),
        "issuance_requested": ("Issuance requested", "発行申請済み"),
    },
    "waiting": {
        "applications_to_screen": ("Applications to screen", "審査待ちの申請"),
        "periods_without_verifier": (
            "Monitoring periods without a verifier",
            "第三者機関が未割当のモニタリング期間",
        ),
        "issuance_requests": ("Issuance requests from monitoring", "モニタリングからの発行申請"),
        "approvals_to_decide": ("Requests waiting for your approval", "あなたの承認待ちの依頼"),
        "role_grants_to_approve": ("Role grants to approve", "承認待ちの役割付与"),
        "periods_to_verify": ("Monitoring periods to verify", "検証するモニタリング期間"),
        "findings_to_answer": ("Findings to answer", "回答が必要な指摘事項"),
        "periods_to_request": (
            "Verified periods whose issuance you can request",
            "発行を申請できる検証済み期間",
        ),
        "own_requests_waiting": (
            "Your requests waiting for a second person",
            "第二の担当者の承認を待つあなたの依頼",
        ),
        "projects_to_register": (
            "Validated projects waiting for registration",
            "登録を待つ有効化審査済みプロジェクト",
        ),
        "issuance_decisions": (
            "Issuance requests waiting for the Joint Committee's decision",
            "合同委員会の決定を待つ発行申請",
        ),
    },
    "audit_action": {
        "approval.request": ("Approval requested", "承認を依頼"),
        "approval.approved": ("Approved", "承認"),
        "approval.rejected": ("Rejected", "却下"),
        "approval.failed": ("Approved, failed when run", "承認後の実行に失敗"),
        "auth.code_rejected": ("Second-factor code refused", "認証コードを拒否"),
        "auth.throttled": ("Sign-in throttled", "サインインを一時制限"),
        "mrv.create": ("Monitoring period created", "モニタリング期間を作成"),
        "mrv.bind": ("Methodology bound to the project", "方法論を案件に設定"),
        "mrv.calculate": ("Monitoring data calculated", "モニタリングデータを計算"),
        "mrv.designate": ("Third-party entity designated", "第三者機関を指定"),
        "mrv.submit": ("Monitoring report submitted", "モニタリング報告書を提出"),
        "mrv.assign": ("Verifier assigned", "検証機関を割り当て"),
        "mrv.finding": ("Finding raised", "指摘事項を提起"),
        "mrv.answer": ("Finding answered", "指摘事項に回答"),
        "mrv.close_finding": ("Finding closed", "指摘事項を終了"),
        "mrv.opinion": ("Verification opinion given", "検証意見を表明"),
        "mrv.issuance_request": ("Issuance requested", "発行を申請"),
        "platform.city.activity": ("City-to-city activity recorded", "都市間連携の活動を記録"),
        "platform.event.outcome": ("Meeting outcome recorded", "商談の結果を記録"),
        "platform.event.rank": ("Meeting preferences ranked", "商談の希望順位を登録"),
        "platform.event.register": ("Registered for an event", "イベントに登録"),
        "platform.event.request": ("Meeting requested", "商談を申込み"),
        "platform.event.schedule": ("Meeting schedule made", "商談日程を作成"),
        "platform.inquiry.open": ("Inquiry opened", "問い合わせを受付"),
        "platform.inquiry.reply": ("Inquiry answered", "問い合わせに回答"),
        "platform.inquiry.update": ("Inquiry updated", "問い合わせを更新"),
        "platform.member.contact": ("Member contact changed", "会員の連絡先を変更"),
        "platform.member.join": ("Member joined", "会員が入会"),
        "platform.member.participation": ("Member participation recorded", "会員の参加を記録"),
        "platform.need.create": ("Need registered", "ニーズを登録"),
        "platform.need.idea": ("Project idea from a need", "ニーズから案件構想を作成"),
        "platform.technology.create": ("Technology registered", "技術を登録"),
        "platform.technology.review": ("Technology reviewed", "技術を審査"),
        "platform.technology.update": ("Technology updated", "技術を更新"),
        "project.create": ("Project created", "案件を作成"),
        "project.import": ("Projects imported", "案件を取込み"),
        "project.transition": ("Project status changed", "案件の状態を変更"),
        "project.update": ("Project updated", "案件を更新"),
        "registry.account_status": ("Account status changed", "口座の状態を変更"),
        "registry.authorise": ("Article 6.2 authorisation recorded", "第6条2項の承認を記録"),
        "registry.create": ("Registry created", "登録簿を作成"),
        "registry.first_transfer_recorded": (
            "Missing first transfer recorded",
            "未記録の初回移転を記録",
        ),
        "registry.identifiers": ("Article 6.2 identifiers set", "第6条2項の識別子を設定"),
        "registry.open_account": ("Account opened", "口座を開設"),
        "registry.set_allocation": ("Allocation set", "配分を設定"),
        "registry.trusted_accounts": ("Trusted accounts changed", "信頼口座を変更"),
        "registry.verified_period": ("Verified period recorded", "検証済み期間を記録"),
        "registry.issuance": ("Credits issued", "クレジットを発行"),
        "registry.transfer": ("Credits transferred", "クレジットを移転"),
        "registry.external_transfer": (
            "Credits transferred to another registry",
            "クレジットを他の登録簿へ移転",
        ),
        "registry.cancellation": ("Credits cancelled", "クレジットを取消"),
        "registry.retirement": ("Credits retired", "クレジットを償却"),
        "session.start": ("Signed in", "サインイン"),
        "session.end": ("Signed out", "サインアウト"),
        "session.end_all": ("All sessions ended", "全セッションを終了"),
        "subsidy.application.create": ("Application created", "申請を作成"),
        "subsidy.application.draft": ("Application returned to draft", "申請を下書きに戻す"),
        "subsidy.application.submitted": ("Application submitted", "申請を提出"),
        "subsidy.application.screened": ("Application screened", "申請を審査"),
        "subsidy.application.adopted": ("Application adopted", "申請を採択"),
        "subsidy.application.rejected": ("Application not adopted", "申請を不採択"),
        "subsidy.application.withdrawn": ("Application withdrawn", "申請を取下げ"),
        "subsidy.call.open": ("Call opened", "公募を開始"),
        "subsidy.call.save": ("Call rules saved", "公募の条件を保存"),
        "subsidy.call.seed": ("Call set up", "公募を設定"),
        "subsidy.selection.run": ("Selection run", "採択案の計算"),
        "token.create": ("API token created", "API トークンを発行"),
        "totp.enrol": ("Second factor enrolled", "二要素認証を登録"),
        "user.create": ("User created", "利用者を作成"),
        "user.deactivate": ("User deactivated", "利用者を無効化"),
        "user.mfa_reset": ("Second factor reset", "二要素認証をリセット"),
        "user.password_change": ("Password changed", "パスワードを変更"),
        "user.reactivate": ("User reactivated", "利用者を再有効化"),
        "user.role_change": ("Role or organisation changed", "役割・所属を変更"),
    },
    "role": {
        "admin": ("Administrator", "管理者"),
        "secretariat": ("Secretariat", "事務局"),
        "joint_committee": ("Joint Committee member", "合同委員会メンバー"),
        "participant": ("Project participant", "プロジェクト参加者"),
        "third_party_entity": ("Third-party entity (verifier)", "第三者機関"),
        "partner_government": ("Partner-country government", "パートナー国政府"),
    },
    "aef_check": {
        "first_transfer": (
            "Every ITMO used or cancelled by another Party was first transferred",
            "他の締約国が使用・取消した ITMO はすべて初回移転済み",
        ),
        "holdings_roll_forward": (
            "Holdings at year end = last year's holdings + this year's actions",
            "年末保有量 = 前年末保有量 + 当年の増減",
        ),
        "unique_identifiers": (
            "No identifier is in two holdings",
            "同じ識別子が二つの保有に現れない",
        ),
        "adjustments_reconcile": (
            "Quantities reconcile with the corresponding adjustments",
            "数量が相当調整の記録と一致",
        ),
    },
    "aef_check_result": {
        "passed": ("Passed", "合格"),
        "failed": ("Failed", "不合格"),
    },
    "vintage_basis": {
        "single_year": ("the period lies in one year", "期間が1年以内"),
        "reductions": (
            "split by the verified reductions of each year",
            "年ごとの検証済み削減量で按分",
        ),
        "days": ("split pro rata by days in each year", "年ごとの日数で按分"),
        "period_end": ("the year the period ended", "期間終了年"),
    },
    "adjustment_reason": {
        "first_transfer": ("First transfer of authorised units", "承認済みユニットの初回移転"),
        "use_towards_ndc": ("Use towards the NDC", "NDCへの使用"),
    },
    "point_kind": {
        "interval": ("Interval readings", "区間ごとの計測値"),
        "cumulative": ("Cumulative register", "積算値"),
        "total": ("One period total", "期間合計"),
    },
    "cancellation_purpose": {
        "ndc": ("Use towards a Party's NDC", "締約国のNDCへの使用"),
        "oimp": (
            "Use towards other international mitigation purposes (OIMP)",
            "その他の国際的緩和目的（OIMP）への使用",
        ),
        "omge": (
            "Cancellation for overall mitigation in global emissions (OMGE)",
            "世界全体の排出の全体的緩和（OMGE）のための取消",
        ),
        "voluntary": ("Voluntary cancellation", "自主的取消"),
    },
    "screening_rule": {
        "representative_is_japanese": (
            "Representative participant is a Japanese company",
            "代表事業者が日本法人であること",
        ),
        "country_eligible": ("Partner country is eligible", "対象のパートナー国であること"),
        "no_other_public_subsidy": (
            "No other Japanese public subsidy",
            "日本の他の公的補助を併用しないこと",
        ),
        "rate_cap": ("Subsidy-rate cap", "補助率の上限"),
        "subsidy_within_rate_cap": (
            "Subsidy within the rate cap",
            "補助額が補助率の上限以内であること",
        ),
        "subsidy_within_ceiling": (
            "Subsidy within the per-project ceiling",
            "補助額が1件あたりの上限以内であること",
        ),
        "cost_effectiveness": ("Cost-effectiveness (yen per tCO2)", "費用対効果（円/tCO2）"),
        "payback_period": ("Payback period", "投資回収年数"),
        "implementation_period": ("Implementation period", "事業実施期間"),
        "schedule": ("Payments by fiscal year", "年度別の支払計画"),
    },
    "audit_entity": {
        "city_pair": ("City-to-city collaboration", "都市間連携"),
        "monitoring_period": ("Monitoring period", "モニタリング期間"),
        "mrv_calculation": ("Emission reduction calculation", "排出削減量の計算"),
        "organisation": ("Organisation", "組織"),
        "pending_operation": ("Operation awaiting approval", "承認待ちの操作"),
        "platform_event": ("Business-matching event", "ビジネスマッチングイベント"),
        "platform_inquiry": ("Inquiry", "問い合わせ"),
        "platform_meeting": ("Meeting", "商談"),
        "platform_member": ("Platform member", "プラットフォーム会員"),
        "platform_need": ("Partner need", "パートナー国のニーズ"),
        "platform_technology": ("Technology", "技術"),
        "project": ("Project", "プロジェクト"),
        "project_file": ("Project file", "プロジェクトファイル"),
        "registry_account": ("Registry account", "登録簿口座"),
        "registry_authorisation": ("Authorisation", "承認（授権）"),
        "registry_first_transfer": ("First transfer", "初回移転"),
        "registry_registry": ("Registry", "登録簿"),
        "registry_transaction": ("Registry transaction", "登録簿取引"),
        "registry_verified_period": ("Verified period", "検証済み期間"),
        "subsidy_application": ("Subsidy application", "補助金申請"),
        "subsidy_call": ("Subsidy call", "補助金公募"),
        "subsidy_selection_run": ("Selection run", "採択案の計算"),
        "user": ("User", "ユーザー"),
    },
    "screening_severity": {
        "fail": ("The application fails this rule", "不適合とする"),
        "review": ("The secretariat reviews the application", "事務局の確認とする"),
    },
    "payback_formula": {
        "investment_over_savings": (
            "Initial investment ÷ annual net savings",
            "初期投資額 ÷ 年間純削減額",
        ),
        "investment_minus_subsidy_over_savings": (
            "(Initial investment − subsidy) ÷ annual net savings",
            "（初期投資額 − 補助金額）÷ 年間純削減額",
        ),
    },
    "sector": {
        "biomass": ("Biomass", "バイオマス"),
        "boiler": ("Boilers and heat supply", "ボイラ・熱供給"),
        "cogeneration": ("Cogeneration", "コージェネレーション"),
        "efficiency": ("Energy efficiency", "省エネルギー"),
        "geothermal": ("Geothermal", "地熱"),
        "hydro": ("Hydropower", "水力発電"),
        "solar_pv": ("Solar PV", "太陽光発電"),
        "transport": ("Transport", "交通"),
        "waste_heat": ("Waste-heat recovery", "廃熱回収"),
        "waste_to_energy": ("Waste-to-energy", "廃棄物発電"),
        "water": ("Water and sewerage", "上下水道"),
    },
    "need_status": {
        "open": ("Open", "受付中"),
        "idea": ("Project idea formed", "案件構想を作成済み"),
        "application": ("Subsidy application drafted", "補助金申請を作成済み"),
        "project": ("Became a JCM project", "JCMプロジェクト化済み"),
    },
    "inquiry_status": {
        "open": ("Open", "対応中"),
        "answered": ("Answered", "回答済み"),
        "closed": ("Closed", "完了"),
    },
    "technology_status": {
        "draft": ("Draft", "下書き"),
        "in_review": ("In review", "審査中"),
        "published": ("Published", "公開中"),
    },
    "meeting_outcome": {
        "requested": ("Requested", "申込み済み"),
        "met": ("Met", "商談済み"),
        "no_show": ("No-show", "欠席"),
        "lead": ("Promising lead", "有望な引き合い"),
        "idea": ("Project idea formed", "案件構想を作成"),
        "application": ("Subsidy application drafted", "補助金申請を作成"),
    },
    "climate": {
        "tropical": ("Tropical", "熱帯"),
        "arid": ("Arid", "乾燥帯"),
        "temperate": ("Temperate", "温帯"),
        "cold": ("Cold", "寒冷地"),
    },
    "city_activity_kind": {
        "workshop": ("Workshop", "ワークショップ"),
        "study": ("Study", "調査"),
        "declaration": ("Declaration", "宣言"),
        "project": ("Project formed", "案件組成"),
    },
    "period_step": {
        "create": ("Period created", "期間を作成"),
        "submit": ("Submitted for verification", "検証に提出"),
        "assign": ("Verifier assigned", "第三者機関を割り当て"),
        "finding": ("Finding raised", "指摘事項を提起"),
        "answer": ("Finding answered", "指摘事項に回答"),
        "close_finding": ("Finding closed", "指摘事項を終了"),
        "opinion": ("Verification opinion given", "検証意見を表明"),
        "issuance_request": ("Issuance requested", "発行を申請"),
    },
    "finding_status": {
        "open": ("Open", "未対応"),
        "answered": ("Answered", "回答済み"),
        "closed": ("Closed", "終了"),
    },
    "verification_opinion": {
        "positive": ("Positive", "肯定的"),
        "negative": ("Negative", "否定的"),
    },
    "qa_check": {
        "gap": ("Missing intervals", "欠測区間"),
        "gap_filled": ("Missing intervals filled", "欠測区間の補完"),
        "negative": ("Negative readings", "負の計測値"),
        "over_capacity": ("Readings above capacity", "設備容量を超える計測値"),
        "meter_reset": ("Meter reset", "積算計のリセット"),
        "meter_rollover": ("Meter rollover", "積算計の桁あふれ"),
        "duplicate": ("Duplicate timestamps", "重複タイムスタンプ"),
        "duplicate_conflict": ("Conflicting duplicates", "値の異なる重複"),
        "out_of_calibration_excluded": (
            "Outside calibration validity: excluded",
            "校正有効期間外：除外",
        ),
        "out_of_calibration_discounted": (
            "Outside calibration validity: discounted",
            "校正有効期間外：割引",
        ),
        "out_of_calibration_project": (
            "Outside calibration validity (project side): divided by the discount factor",
            "校正有効期間外（プロジェクト側）：割引係数で除算",
        ),
        "negative_result": ("Negative emission reductions", "排出削減量がマイナス"),
    },
    "parameter_source": {
        "monitored": ("Monitored", "モニタリングする値"),
        "fixed_ex_ante": ("Fixed ex ante", "事前に固定する値"),
        "default": ("Methodology default", "方法論のデフォルト値"),
    },
    "parameter_side": {
        "reference": ("Reference emissions", "リファレンス排出量"),
        "project": ("Project emissions", "プロジェクト排出量"),
    },
    "value_source": {
        "monitored": ("Monitored readings", "モニタリングの計測値"),
        "input": ("Given in the input", "入力で指定"),
        "emission_factor_table": ("Emission factor table", "排出係数表"),
        "default": ("Methodology default", "方法論のデフォルト値"),
    },
    "organisation_kind": {
        "company": ("Company", "企業"),
        "municipality": ("Municipality", "地方自治体"),
        "government": ("Government", "政府"),
        "third_party_entity": ("Third-party entity", "第三者機関"),
        "association": ("Association", "団体"),
        "agency": ("Public agency", "公的機関"),
        "financial_institution": ("Financial institution", "金融機関"),
    },
}


def label(lang: str, group: str, code: str | None) -> str:
    """The name of ``code`` in ``group`` in ``lang`` ("ja" or "en"); "" for no code."""
    if code is None or code == "":
        return ""
    entry = LABELS.get(group, {}).get(code)
    if entry is None:
        return code
    return entry[1] if lang == "ja" else entry[0]
