"""Train a logistic regression on customers with a known outcome; score everyone."""
import numpy as np
import pandas as pd

FEATURES = [
    "tenure_months",
    "support_tickets",
    "logins_last_30d",
    "late_payments",
    "is_basic_plan",
    "tickets_per_year",
]


def run(features: pd.DataFrame) -> pd.DataFrame:
    known = features[features["churned"].notna()]
    x_all = features[FEATURES].astype(float)
    mean, std = x_all.mean(), x_all.std().replace(0, 1)
    x_train = ((known[FEATURES].astype(float) - mean) / std).to_numpy()
    y_train = known["churned"].astype(int).to_numpy()
    x_score = ((x_all - mean) / std).to_numpy()
    print(f"training on {len(known)} customers with a known outcome, scoring {len(features)}")

    try:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(max_iter=1000).fit(x_train, y_train)
        proba = model.predict_proba(x_score)[:, 1]
        print(f"scikit-learn training accuracy: {model.score(x_train, y_train):.3f}")
    except ImportError:
        print("scikit-learn is not installed: fitting the same model with numpy")
        proba = _fit_numpy(x_train, y_train, x_score)

    return pd.DataFrame(
        {
            "customer_id": features["customer_id"],
            "region": features["region"],
            "plan": features["plan"],
            "churn_probability": proba,
        }
    )


def _fit_numpy(x, y, x_score, steps=2000, rate=0.1):
    x1 = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x1.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x1 @ w))
        w -= rate * x1.T @ (p - y) / len(y)
    xs = np.hstack([np.ones((len(x_score), 1)), x_score])
    return 1 / (1 + np.exp(-xs @ w))
