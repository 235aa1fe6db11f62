"""The one translation table for every UI string and chart title (English and Japanese)."""

from __future__ import annotations

LANGS = ("en", "ja")

TEXT: dict[str, dict[str, str]] = {
    "app.title": {"en": "labelscope", "ja": "labelscope"},
    "chart.test_acc": {"en": "Test accuracy", "ja": "テスト精度"},
    "axis.epoch": {"en": "epoch", "ja": "エポック"},
    "axis.accuracy": {"en": "accuracy", "ja": "精度"},
    "axis.method": {"en": "method", "ja": "手法"},
    # --- plug-in help (English comes from each plug-in's `help`) ---
    "help.dataset.digits": {"ja": "実際の手書き数字 1,797 枚（8×8、10 クラス）、1×8×8 の画像のまま"},
    "help.dataset.wine": {"ja": "ワイン 178 本、13 の化学測定値、3 品種（表形式）"},
    "help.dataset.breast_cancer": {"ja": "腫瘍 569 例、30 の細胞核特徴、悪性か良性か（表形式）"},
    "help.dataset.blobs": {"ja": "合成データ：クラスごとに一つのガウス分布のかたまり"},
    "help.dataset.gram_blocks": {"ja": "クラス内・クラス間の相関を指定した合成特徴（自己蒸留の理論検証用）"},
    "help.dataset.wordnet_glosses": {
        "ja": "WordNet の名詞の定義文 1,500 件（テキスト、6 分野）。現実的なラベルノイズ 20%、正解ラベル付き"
    },
    "help.text_encoder.tfidf": {
        "ja": "オフライン：単語と文字の n-gram の TF-IDF を切断 SVD で圧縮（ラベルは使わない）"
    },
    "help.text_encoder.hf": {
        "ja": "hf:<モデル ID またはフォルダ>：transformers のエンコーダ（AutoModel + AutoTokenizer）、平均プーリング"
    },
    "help.noise.symmetric": {"ja": "誤ったラベルは他のクラスから一様に選ばれる"},
    "help.noise.pairflip": {"ja": "非対称：クラス c が c+1 (mod K) と誤ってラベル付けされる"},
    "help.noise.matrix": {"ja": "与えた遷移行列（各行の和が 1）から観測ラベルを引く（率は使わない）"},
    "help.noise.instance": {"ja": "サンプル依存：誤り率と誤り先のクラスが特徴量で決まる（Xia ら 2020）"},
    "help.noise.none": {"ja": "ノイズを加えない：ラベルをそのまま使う（実ノイズモード）"},
    "help.model.linear": {"ja": "固定特徴・埋め込みに対する線形プローブ"},
    "help.model.mlp": {"ja": "入力を平坦化した多層パーセプトロン"},
    "help.model.cnn_small": {
        "ja": "8×8 以上の任意サイズの画像向けの小さな CNN（畳み込みブロック、4×4 グリッドを平坦化、全結合層）"
    },
    "help.model.resnet18": {"ja": "画像向けの CIFAR 型 ResNet-18"},
    # --- method names in words (legends, pickers); the id stays as a secondary label ---
    "method.ce": {"en": "plain training", "ja": "通常の学習"},
    "method.label_smoothing": {"en": "label smoothing", "ja": "ラベル平滑化"},
    "method.labo": {"en": "LaBo (per-sample smoothing)", "ja": "LaBo（サンプルごとの平滑化）"},
    "method.random_heads": {"en": "random-label heads", "ja": "ランダムラベルヘッド"},
    "method.self_distill": {"en": "self-distillation", "ja": "自己蒸留"},
    "method.pll": {"en": "top-2 candidate labels", "ja": "上位2候補ラベル"},
    "method.clid_mu": {"en": "CLID sample weights", "ja": "CLID サンプル重み"},
    "method.drift": {"en": "DRIFT self-training", "ja": "DRIFT 自己学習"},
    "legend.seed": {"en": "{method} · seed {seed}", "ja": "{method} · シード {seed}"},
    "ld.clid": {"en": "last hidden layer vs output", "ja": "最終隠れ層と出力"},
    "ld.pair": {"en": "layer {a} vs layer {b}", "ja": "層 {a} と層 {b}"},
    # --- option names and choices in words (the id stays in the help text) ---
    "opt.lr": {"en": "learning rate", "ja": "学習率"},
    "opt.batch_size": {"en": "batch size (samples per step)", "ja": "バッチサイズ（1 ステップのサンプル数）"},
    "opt.optimizer": {"en": "optimizer", "ja": "最適化手法"},
    "opt.weight_decay": {"en": "weight decay", "ja": "重み減衰"},
    "opt.schedule": {"en": "learning-rate schedule", "ja": "学習率スケジュール"},
    "opt.probe_every": {"en": "look inside every … epochs", "ja": "内部を見る間隔（エポック）"},
    "opt.labeled_fraction": {"en": "share of labels kept (rest hidden)", "ja": "残すラベルの割合（残りは非表示）"},
    "opt.eps": {"en": "smoothing amount ε", "ja": "平滑化の量 ε"},
    "opt.alpha": {"en": "mixing weight α", "ja": "混合の重み α"},
    "opt.temperature": {"en": "temperature", "ja": "温度"},
    "opt.rounds": {"en": "rounds", "ja": "ラウンド数"},
    "opt.weight": {"en": "sample weighting", "ja": "サンプルの重み付け"},
    "choice.adamw": {"en": "AdamW", "ja": "AdamW"},
    "choice.adam": {"en": "Adam", "ja": "Adam"},
    "choice.sgd": {"en": "SGD with momentum", "ja": "SGD（モーメンタム付き）"},
    "choice.cosine": {"en": "cosine decay", "ja": "コサイン減衰"},
    "choice.constant": {"en": "constant", "ja": "一定"},
    "choice.entropy": {"en": "by entropy", "ja": "エントロピーで"},
    "choice.maxprob": {"en": "by top probability", "ja": "最大確率で"},
    "choice.ema": {"en": "moving average", "ja": "移動平均"},
    "choice.unroll": {"en": "unrolled steps", "ja": "展開ステップ"},
    "choice.bisection": {"en": "exact (bisection)", "ja": "厳密（二分法）"},
    "choice.small_eps": {"en": "small-ε approximation", "ja": "小さい ε の近似"},
    "choice.fixed": {"en": "fixed temperature", "ja": "固定温度"},
    "choice.uniform": {"en": "towards uniform", "ja": "一様分布へ"},
    "choice.reversal": {"en": "gradient reversal", "ja": "勾配反転"},
    # --- one line under each chart: how to read it ---
    "read.live_metric": {
        "en": "One line per run, one colour per method; higher is better for accuracy, lower for loss.",
        "ja": "ラン 1 本につき 1 本の線、手法ごとに 1 色。精度は高いほど、損失は低いほど良い。",
    },
    "read.train_clean_vs_observed": {
        "en": "Solid: accuracy on the true labels; dotted: on the noisy labels. Dotted rising above solid means the model is memorizing wrong labels.",
        "ja": "実線: 真のラベルでの精度、点線: ノイズ入りラベルでの精度。点線が実線を上回るほど、誤ったラベルを丸暗記しています。",
    },
    "read.curves": {
        "en": "Line: mean over seeds; band: ± one standard deviation; faint lines: single seeds.",
        "ja": "線: シード平均、帯: ±1 標準偏差、薄い線: 各シード。",
    },
    "read.bars": {
        "en": "Bar: mean over seeds (axis from 0); whisker: ± one standard deviation; circles: single seeds.",
        "ja": "棒: シード平均（軸は 0 から）、ひげ: ±1 標準偏差、丸: 各シード。",
    },
    "read.rlp_heads": {
        "en": "A head that learns random labels above the dashed chance line shows the features let the network memorize.",
        "ja": "ランダムラベルを点線（偶然）以上に当てられるほど、特徴量が丸暗記を許しています。",
    },
    "read.robustness": {
        "en": "Each point: mean test accuracy at one noise rate; a flatter line is a more robust method.",
        "ja": "各点: そのノイズ率での平均テスト精度。線が平らなほど頑健な手法です。",
    },
    "help.model.resnet_small": {"ja": "32×32 カラー画像向けの CIFAR ResNet-20 型残差ネット（27 万パラメータ）"},
    "help.model.hf": {
        "ja": "Hugging Face の事前学習済みバックボーン、--model hf:<モデル ID またはフォルダ>"
        "（固定特徴＋ヘッド、または微調整）"
    },
    "help.dataset.cifar10": {
        "ja": "CIFAR-10: 実写 32×32 カラー写真 60,000 枚、10 クラス（初回にダウンロード、または --set root=DIR）"
    },
    "help.dataset.cifar10n": {
        "ja": "CIFAR-10N: CIFAR-10 の訓練写真 50,000 枚と実際の人手ラベル（aggre、random1..3、worse）"
    },
    "help.dataset.mnist5k": {"ja": "実際の MNIST 手書き数字 5,000 枚（28×28 グレー画像、各クラス 500 枚）"},
    # --- dashboard: app, set up, live, compare ---
    "nav.setup": {"en": "Set up", "ja": "セットアップ"},
    "nav.live": {"en": "Live", "ja": "ライブ"},
    "nav.compare": {"en": "Compare", "ja": "比較"},
    "nav.diagnostics": {"en": "Diagnostics", "ja": "診断"},
    "nav.samples": {"en": "Samples", "ja": "サンプル"},
    "nav.papers": {"en": "Papers", "ja": "論文の検証"},
    "papers.title": {
        "en": "What each method is known to do, and what we measured here",
        "ja": "各手法について知られていることと、ここで測ったこと",
    },
    "papers.intro": {
        "en": "One small experiment per paper tests its central claim on this machine (`labelscope papers --quick`). A claim that did not hold is shown as not held, with its numbers.",
        "ja": "論文ごとに小さな実験を一つ行い、その中心的な主張をこのマシンで確かめます（`labelscope papers --quick`）。成り立たなかった主張は、数値とともに「成立せず」と表示します。",
    },
    "papers.none": {
        "en": "No paper-check results yet: run `labelscope papers --quick`.",
        "ja": "論文検証の結果はまだありません。`labelscope papers --quick` を実行してください。",
    },
    "papers.source_local": {
        "en": "Results of this machine ({time}, load average {load:.1f}).",
        "ja": "このマシンでの結果（{time}、ロードアベレージ {load:.1f}）。",
    },
    "papers.source_recorded": {
        "en": "Results recorded with the repository ({time}, load average {load:.1f}); run `labelscope papers` to measure on this machine.",
        "ja": "リポジトリに記録された結果（{time}、ロードアベレージ {load:.1f}）。このマシンで測るには `labelscope papers` を実行してください。",
    },
    "papers.held": {"en": "held", "ja": "成立"},
    "papers.not_held": {"en": "not held", "ja": "成立せず"},
    "papers.method": {"en": "Method", "ja": "手法"},
    "papers.claim": {"en": "Claim", "ja": "主張"},
    "papers.prediction": {"en": "Prediction", "ja": "予測"},
    "papers.measurement": {"en": "Measured here", "ja": "ここでの測定"},
    "papers.run_info": {
        "en": "seeds {seeds}, {mode}, {seconds:.0f} s, load average {load:.1f}",
        "ja": "シード {seeds}、{mode}、{seconds:.0f} 秒、ロードアベレージ {load:.1f}",
    },
    "papers.quick": {"en": "quick", "ja": "簡易"},
    "papers.full": {"en": "full", "ja": "完全"},
    "papers.claim.label_averaging": {
        "en": "Each self-distillation round shrinks every label direction of the Gram eigenbasis by σ/(σ + KNλ): a closed form predicts per-round accuracy on corrupted samples; one round of top-2 (two-hot) refinement beats multi-round distillation at 50% noise.",
        "ja": "自己蒸留の各ラウンドは、グラム行列の固有基底でラベルの各方向を σ/(σ + KNλ) 倍に縮める：閉じた式が誤ラベルのサンプルでのラウンドごとの精度を予測する。50% のノイズでは上位2クラス（two-hot）による1回の洗練が多ラウンドの蒸留に勝る。",
    },
    "papers.claim.random_heads": {
        "en": "Random-label head accuracy estimates memorization: across regularizers it ranks like the generalization gap, and the unlearning term (λ > 0) lowers it.",
        "ja": "ランダムラベルヘッドの精度は丸暗記の量を推定する：正則化手法の間で汎化ギャップと同じ順に並び、忘却項（λ > 0）はそれを下げる。",
    },
    "papers.claim.clid_mu": {
        "en": "The cross-layer information divergence of unlabeled meta data falls as clean test accuracy rises, and CLID-driven reweighting is at least as accurate as cross-entropy at 40% symmetric noise.",
        "ja": "ラベルなしメタデータの層間情報ダイバージェンス（CLID）はテスト精度が上がると下がり、CLID による重み付けは 40% の対称ノイズで交差エントロピー以上の精度を出す。",
    },
    "papers.claim.labo": {
        "en": "LABO's per-instance smoothing is more accurate than uniform label smoothing, at about the same cost.",
        "ja": "LABO のサンプルごとの平滑化は、一様なラベル平滑化より精度が高く、コストはほぼ同じ。",
    },
    "papers.claim.drift": {
        "en": "Differentiating through the teacher (the student as Stackelberg leader) gives more accurate and steadier self-training than the same teacher detached.",
        "ja": "教師を通して微分する（生徒をシュタッケルベルクのリーダーとする）と、教師を切り離した同じ自己学習より精度が高く安定する。",
    },
    "app.language": {"en": "Language", "ja": "言語"},
    "app.runs_dir": {"en": "Runs folder: {path}", "ja": "ランの保存先: {path}"},
    "app.tagline": {
        "en": "Which treatment of imperfect labels makes your model better, and why?",
        "ja": "不完全なラベルをどう扱えばモデルが良くなるのか、そしてなぜか。",
    },
    "picker.comparison": {"en": "Comparison", "ja": "比較"},
    "picker.none": {
        "en": "No comparison yet: start one on the Set up page.",
        "ja": "まだ比較がありません。「セットアップ」ページで開始してください。",
    },
    "picker.label": {"en": "{when} · {dataset} · {noise} · {n} runs", "ja": "{when} · {dataset} · {noise} · {n} ラン"},
    "picker.other_runs": {"en": "Runs outside any comparison", "ja": "比較に属さないラン"},
    "noise.real": {"en": "real labels", "ja": "実ラベル"},
    "noise.desc": {"en": "{kind} {rate:.0%}", "ja": "{kind} {rate:.0%}"},
    # set up
    "setup.title": {"en": "Set up a comparison", "ja": "比較をセットアップ"},
    "setup.intro": {
        "en": "Pick data, decide how noisy the labels are, tick the methods to compare and press Run. Training runs in the background; you can close this tab.",
        "ja": "データを選び、ラベルのノイズを決め、比較する手法にチェックを入れて実行してください。学習はバックグラウンドで進むので、このタブを閉じても構いません。",
    },
    "setup.demo_title": {"en": "First time here?", "ja": "はじめての方へ"},
    "setup.demo_text": {
        "en": "The demo comparison trains {methods} with an MLP on 5,000 real handwritten digits (MNIST) "
        "with 40% of the labels flipped at random, {seeds} seeds each, {epochs} epochs. Plain "
        "training (ce) memorizes the wrong labels and its test accuracy falls; the verdict says "
        "which method holds up. Measured: {m} min {s} s from Run to the last result on {cores} "
        "otherwise idle CPU cores (load {load}); longer while other work shares them.",
        "ja": "デモ比較では、ラベルの40%をランダムに入れ替えた実際の手書き数字 5,000 枚（MNIST）で、MLP を使い "
        "{methods} を各 {seeds} シード・{epochs} エポック学習します。通常の学習（ce）は誤ったラベルを"
        "暗記してテスト精度が下がります。どの手法が持ちこたえるかを判定が示します。実測: ほかに処理のない "
        "CPU {cores} コア（負荷 {load}）で、実行から最後の結果まで {m} 分 {s} 秒。ほかの処理と共有すると長くなります。",
    },
    "setup.demo_took": {
        "en": "Measured on this machine: the last demo took {m} min {s} s from Run to its last result ({runs} runs).",
        "ja": "このマシンでの実測: 前回のデモは実行から最後の結果まで {m} 分 {s} 秒でした（{runs} ラン）。",
    },
    "setup.demo_button": {"en": "Run the demo comparison", "ja": "デモ比較を実行"},
    "setup.data": {"en": "1 · Data", "ja": "1 · データ"},
    "setup.dataset": {"en": "Dataset", "ja": "データセット"},
    "setup.own_data": {"en": "my own file", "ja": "自分のファイル"},
    "setup.data_shape": {
        "en": "{n} samples · input shape {shape} · {k} classes",
        "ja": "{n} サンプル · 入力形状 {shape} · {k} クラス",
    },
    "setup.noise": {"en": "2 · Label noise", "ja": "2 · ラベルノイズ"},
    "setup.noise_mode": {"en": "Labels", "ja": "ラベル"},
    "setup.noise_inject": {
        "en": "inject noise into clean labels (to see what each method can repair)",
        "ja": "正しいラベルにノイズを加える（各手法が何を修復できるかを見る）",
    },
    "setup.noise_real": {"en": "my labels are real: inject nothing", "ja": "ラベルは実データのまま：ノイズを加えない"},
    "setup.noise_real_note": {
        "en": "With real labels the truth is unknown, so metrics that need it (clean accuracy, memorized share, noise-detection AUROC) are hidden.",
        "ja": "実ラベルでは正解がわからないため、正解を必要とする指標（クリーン精度、記憶率、ノイズ検出AUROC）は表示されません。",
    },
    "setup.noise_real_note_truth": {
        "en": "Your clean-label column is used only to score the runs (clean accuracy, noise detection); training sees your labels as they are.",
        "ja": "正解ラベル列はランの評価（クリーン精度・ノイズ検出）にだけ使います。学習にはラベルをそのまま使います。",
    },
    "setup.noise_real_note_builtin": {
        "en": "The dataset's own labels are used as they are (here they are the truth, so every view is shown).",
        "ja": "データセットのラベルをそのまま使います（ここではそれが正解なので、すべての表示が使えます）。",
    },
    "setup.noise_set_by_upload": {
        "en": 'Section 2 is set to use this file\'s labels as they are; choose "inject noise" there to add noise on top.',
        "ja": "セクション 2 はこのファイルのラベルをそのまま使う設定になりました。ノイズを加えるには、そこで「ノイズを加える」を選んでください。",
    },
    "setup.will.none": {
        "en": "No noise injected: your labels are used as they are.",
        "ja": "ノイズは加えません。ラベルをそのまま使います。",
    },
    "setup.will.inject": {
        "en": "{pct:.0f}% of the training labels will be {how} before training.",
        "ja": "学習の前に、学習用ラベルの {pct:.0f}% を{how}。",
    },
    "noise.symmetric": {"en": "symmetric (flip to any other class)", "ja": "対称（他のどのクラスへも入れ替え）"},
    "noise.pairflip": {"en": "pair flip (class c becomes c+1)", "ja": "ペア反転（クラス c → c+1）"},
    "noise.instance": {
        "en": "instance-dependent (hard samples flip more)",
        "ja": "サンプル依存（難しいサンプルほど入れ替わる）",
    },
    "noise.matrix": {"en": "transition matrix", "ja": "遷移行列"},
    "noise.none": {"en": "none", "ja": "なし"},
    # a noise kind in one or two words, for setting labels ("symmetric 40%"), panel titles and the deck
    "noise.word.symmetric": {"en": "symmetric", "ja": "対称"},
    "noise.word.pairflip": {"en": "pair flip", "ja": "ペア反転"},
    "noise.word.instance": {"en": "instance-dependent", "ja": "インスタンス依存"},
    "noise.word.matrix": {"en": "transition matrix", "ja": "遷移行列"},
    "noise.word.none": {"en": "none", "ja": "なし"},
    "noise.how.symmetric": {"en": "flipped at random to another class", "ja": "ランダムに別のクラスへ入れ替えます"},
    "noise.how.pairflip": {"en": "flipped to the next class (c to c+1)", "ja": "隣のクラス（c → c+1）へ入れ替えます"},
    "noise.how.instance": {
        "en": "flipped, the hard-looking samples more often",
        "ja": "入れ替えます（見分けにくいサンプルほど多く）",
    },
    "noise.how.matrix": {"en": "redrawn from the given transition matrix", "ja": "指定した遷移行列で引き直します"},
    "setup.device.auto": {"en": "automatic (GPU if there is one)", "ja": "自動（GPU があれば GPU）"},
    "setup.device.cpu": {"en": "CPU", "ja": "CPU"},
    "setup.device.cuda": {"en": "NVIDIA GPU (CUDA)", "ja": "NVIDIA GPU（CUDA）"},
    "setup.device.mps": {"en": "Apple GPU (MPS)", "ja": "Apple GPU（MPS）"},
    "setup.noise_kind": {"en": "Noise kind", "ja": "ノイズの種類"},
    "setup.noise_rate": {"en": "Share of labels flipped", "ja": "入れ替えるラベルの割合"},
    "setup.methods": {"en": "3 · Methods to compare", "ja": "3 · 比較する手法"},
    "setup.options_of": {"en": "Options of {method}", "ja": "{method} のオプション"},
    "setup.no_options": {"en": "This method has no options.", "ja": "この手法にはオプションがありません。"},
    "setup.training": {"en": "4 · Training", "ja": "4 · 学習"},
    "setup.seeds": {"en": "Seeds per method", "ja": "手法ごとのシード数"},
    "setup.seeds_help": {
        "en": "Each seed repeats the run with a different split, noise draw and initialisation; 3 or more let the verdict tell a real difference from luck.",
        "ja": "シードごとに分割・ノイズ・初期値を変えて繰り返します。3つ以上あると、本当の差か偶然かを判定できます。",
    },
    "setup.epochs": {"en": "Epochs", "ja": "エポック数"},
    "setup.model": {"en": "Model", "ja": "モデル"},
    "model_reason.colour32": {
        "en": "colour images of 32 px or more: a ResNet-20-like residual net (resnet_small)",
        "ja": "32 px 以上のカラー画像: ResNet-20 型の残差ネット（resnet_small）",
    },
    "model_reason.image": {
        "en": "small or grey images: a small CNN that keeps the image layout (cnn_small)",
        "ja": "小さい画像またはグレー画像: 画像の配置を保つ小型 CNN（cnn_small）",
    },
    "model_reason.embedding": {"en": "embeddings: a linear probe (linear)", "ja": "埋め込み: 線形プローブ（linear）"},
    "model_reason.text": {
        "en": "text: a multi-layer perceptron on the text embedding (mlp)",
        "ja": "テキスト: テキスト埋め込みの上の多層パーセプトロン（mlp）",
    },
    "model_reason.tabular": {
        "en": "table columns: a multi-layer perceptron (mlp)",
        "ja": "表データ: 多層パーセプトロン（mlp）",
    },
    "setup.model_chosen": {"en": "Chosen: {model}, because {reason}.", "ja": "選択: {model}（理由: {reason}）。"},
    "setup.hf_backbone": {"en": "Pretrained backbone", "ja": "事前学習済みバックボーン"},
    "setup.hf_other": {"en": "other (type a model id or folder)", "ja": "その他（モデル ID またはフォルダを入力）"},
    "setup.hf_source": {
        "en": "Hugging Face model id or local folder",
        "ja": "Hugging Face のモデル ID またはローカルフォルダ",
    },
    "setup.hf_mode": {"en": "Backbone", "ja": "バックボーン"},
    "setup.hf_mode.frozen": {
        "en": "frozen (features cached, heads train)",
        "ja": "固定（特徴をキャッシュしヘッドを学習）",
    },
    "setup.hf_mode.finetune": {"en": "fine-tune the whole network", "ja": "ネットワーク全体を微調整"},
    "underfit.count": {
        "en": "{n} of {total} finished runs look underfit.",
        "ja": "完了した {total} 件中 {n} 件が学習不足のようです。",
    },
    "underfit.warning": {
        "en": "Looks underfit: training accuracy still rose {gain:.1%} over the last {k} epochs and validation "
        "accuracy still rises. Train longer (e.g. {epochs} epochs) or pick a larger model than {model}.",
        "ja": "学習不足のようです: 最後の {k} エポックで訓練精度がまだ {gain:.1%} 上がり、検証精度も上がり続けています。"
        "エポック数を増やす（例: {epochs}）か、{model} より大きいモデルを選んでください。",
    },
    "setup.model_auto": {"en": "automatic ({model})", "ja": "自動（{model}）"},
    "setup.device": {"en": "Device", "ja": "デバイス"},
    "setup.device_gpu": {"en": "A GPU is used: {name}", "ja": "GPUを使用します: {name}"},
    "setup.device_cpu": {
        "en": "No GPU found: training runs on the CPU ({name}).",
        "ja": "GPUが見つかりません。CPUで学習します（{name}）。",
    },
    "setup.advanced": {"en": "Advanced training options", "ja": "詳細な学習オプション"},
    "setup.run": {"en": "Run the comparison", "ja": "比較を実行"},
    "setup.summary": {
        "en": "{runs} runs: {methods} × {seeds} seeds, {epochs} epochs each.",
        "ja": "{runs} ラン：{methods} × {seeds} シード、各 {epochs} エポック。",
    },
    "setup.pick_method": {"en": "Tick at least one method.", "ja": "手法を1つ以上選んでください。"},
    "setup.started": {
        "en": "Started comparison {suite} ({n} runs). Training goes on in the background even if you close this tab.",
        "ja": "比較 {suite}（{n} ラン）を開始しました。このタブを閉じても学習はバックグラウンドで続きます。",
    },
    "setup.go_live": {"en": "Go to the Live page", "ja": "ライブページへ"},
    # live
    "live.title": {"en": "Live training", "ja": "ライブ学習"},
    "live.none": {
        "en": "No runs yet: start a comparison on the Set up page.",
        "ja": "まだランがありません。「セットアップ」ページで比較を開始してください。",
    },
    "live.runs": {"en": "Runs", "ja": "ラン"},
    "live.stop": {"en": "Stop", "ja": "停止"},
    "live.stop_all": {"en": "Stop all", "ja": "すべて停止"},
    "live.stopping": {"en": "Stop requested.", "ja": "停止を要求しました。"},
    "live.state.queued": {"en": "queued", "ja": "待機中"},
    "live.state.running": {"en": "running", "ja": "実行中"},
    "live.state.completed": {"en": "completed", "ja": "完了"},
    "live.state.failed": {"en": "failed", "ja": "失敗"},
    "live.state.stopped": {"en": "stopped", "ja": "停止"},
    "live.progress": {"en": "epoch {epoch:.0f}/{total} · {eta}", "ja": "エポック {epoch:.0f}/{total} · {eta}"},
    "live.eta": {"en": "about {s:.0f} s left", "ja": "残り約 {s:.0f} 秒"},
    "live.eta_unknown": {"en": "estimating time left…", "ja": "残り時間を推定中…"},
    "live.done_in": {"en": "done in {s:.0f} s", "ja": "{s:.0f} 秒で完了"},
    "live.waiting": {"en": "waiting for a free worker", "ja": "空きワーカー待ち"},
    "live.failed_reason": {"en": "Failed: {error}", "ja": "失敗: {error}"},
    "live.active": {
        "en": "{n} of {total} runs active · updates every {s:.1f} s",
        "ja": "{total} ラン中 {n} ラン実行中 · {s:.1f} 秒ごとに更新",
    },
    "live.all_done": {
        "en": "All runs have finished. See the result on the Compare page.",
        "ja": "すべてのランが終了しました。「比較」ページで結果を確認できます。",
    },
    "live.go_compare": {"en": "Go to the Compare page", "ja": "比較ページへ"},
    "live.probes": {"en": "Inside the model", "ja": "モデルの内部"},
    "live.probe_run": {"en": "Run to look inside", "ja": "内部を見るラン"},
    # compare
    "compare.title": {"en": "Compare methods", "ja": "手法を比較"},
    "compare.metric": {"en": "Curve", "ja": "曲線"},
    "compare.smoothing": {"en": "Smoothing", "ja": "平滑化"},
    "compare.smoothing_help": {
        "en": "Exponential moving average of the curves (0 = raw). The raw curves stay faint underneath.",
        "ja": "曲線の指数移動平均（0 = そのまま）。元の曲線は薄く下に表示されます。",
    },
    "compare.table": {"en": "Summary (mean ± std over seeds)", "ja": "まとめ（シード平均 ± 標準偏差）"},
    "compare.verdict": {"en": "Verdict", "ja": "結論"},
    "compare.setting": {"en": "Setting: {setting}", "ja": "設定: {setting}"},
    "compare.no_finished": {
        "en": "No finished run in this comparison yet; the table fills in as runs complete.",
        "ja": "この比較にはまだ完了したランがありません。ランが完了すると表が埋まります。",
    },
    "compare.in_progress": {
        "en": "{n} runs are still training: numbers will change.",
        "ja": "{n} ランが学習中です。数値は変わります。",
    },
    "compare.export": {"en": "Export", "ja": "エクスポート"},
    "col.method": {"en": "method", "ja": "手法"},
    "col.setting": {"en": "noise", "ja": "ノイズ"},
    "col.runs": {"en": "runs done", "ja": "完了ラン"},
    "col.test_acc_final": {"en": "test acc (final)", "ja": "テスト精度（最終）"},
    "col.test_acc_best": {"en": "test acc (best)", "ja": "テスト精度（最良）"},
    "col.noise_auroc": {"en": "noise-detection AUROC (out of sample)", "ja": "ノイズ検出 AUROC（標本外）"},
    "col.train_memorized_final": {"en": "memorized share", "ja": "記憶率"},
    "col.wall_time_s": {"en": "wall time (s)", "ja": "所要時間（秒）"},
    "col.cost": {"en": "cost vs {base}", "ja": "{base} 比のコスト"},
    "metric.test/acc": {"en": "test accuracy", "ja": "テスト精度"},
    "metric.train/acc_clean": {"en": "train accuracy on the true labels", "ja": "学習データの真のラベルに対する精度"},
    "metric.train/acc_observed": {
        "en": "train accuracy on the observed labels",
        "ja": "学習データの観測ラベルに対する精度",
    },
    "metric.train/memorized": {"en": "memorized share of flipped labels", "ja": "入れ替えたラベルの記憶率"},
    "metric.train/loss": {"en": "training loss", "ja": "学習損失"},
    "metric.val/acc": {"en": "validation accuracy", "ja": "検証精度"},
    "metric.rlp/acc_train": {"en": "random-label head accuracy", "ja": "ランダムラベルヘッド精度"},
    # charts of this section
    "chart.curves": {"en": "{metric} (mean ± std over seeds)", "ja": "{metric}（シード平均 ± 標準偏差）"},
    "chart.live_metric": {"en": "{metric}", "ja": "{metric}"},
    "chart.train_clean_vs_observed": {
        "en": "Train accuracy<br><sup>solid: on the true labels · dotted: on the observed labels</sup>",
        "ja": "学習精度<br><sup>実線：真のラベル · 点線：観測ラベル</sup>",
    },
    "chart.bars": {
        "en": "{metric} by method (mean ± std over seeds)",
        "ja": "手法別の{metric}（シード平均 ± 標準偏差）",
    },
    "axis.loss": {"en": "loss", "ja": "損失"},
    "axis.share": {"en": "share", "ja": "割合"},
    "legend.true_labels": {"en": "true", "ja": "真"},
    "legend.observed_labels": {"en": "observed", "ja": "観測"},
    # verdict
    "verdict.beat": {
        "en": "{method} beat {ref} by {diff:.1f} points of test accuracy (± {se:.1f} standard error, {n} seeds); significant, p {p}.",
        "ja": "{method} は {ref} よりテスト精度が {diff:.1f} ポイント高く（標準誤差 ± {se:.1f}、{n} シード）、有意な差です（p {p}）。",
    },
    "verdict.lost": {
        "en": "{method} was worse than {ref} by {diff:.1f} points of test accuracy (± {se:.1f} standard error, {n} seeds); significant, p {p}.",
        "ja": "{method} は {ref} よりテスト精度が {diff:.1f} ポイント低く（標準誤差 ± {se:.1f}、{n} シード）、有意な差です（p {p}）。",
    },
    "verdict.tie": {
        "en": "{method} vs {ref}: {signed:+.1f} points (± {se:.1f} standard error, {n} seeds); not significant with {n} seeds, p {p}.",
        "ja": "{method} 対 {ref}: {signed:+.1f} ポイント（標準誤差 ± {se:.1f}、{n} シード）。{n} シードでは有意ではありません（p {p}）。",
    },
    "verdict.tie_paired": {
        "en": "{method} vs {ref}: {signed:+.1f} points (± {se:.1f} standard error), the same sign on {k} of {n} seeds; not significant with {n} seeds, p {p}. More seeds would tell.",
        "ja": "{method} 対 {ref}: {signed:+.1f} ポイント（標準誤差 ± {se:.1f}）、{n} シード中 {k} シードで同じ向き。{n} シードでは有意ではありません（p {p}）。シードを増やせば判断できます。",
    },
    "verdict.one_seed": {
        "en": "{method} vs {ref}: {signed:+.1f} points from a single seed; run more seeds to tell a real difference from luck.",
        "ja": "{method} 対 {ref}: 1シードのみで {signed:+.1f} ポイント。本当の差か偶然かを判断するには、シードを増やしてください。",
    },
    "verdict.best": {
        "en": "Best here: {method}, which clearly beats {ref}.",
        "ja": "この設定で最も良いのは {method} で、{ref} をはっきり上回りました。",
    },
    "verdict.none_better": {
        "en": "No method clearly beat {ref} in this setting.",
        "ja": "この設定では {ref} をはっきり上回る手法はありませんでした。",
    },
    "verdict.few_seeds": {
        "en": "With fewer than 3 seeds the spread is poorly known; add seeds before drawing conclusions.",
        "ja": "シードが3未満ではばらつきの推定が不確かです。結論を出す前にシードを増やしてください。",
    },
    # robustness over a grid's noise rates (core/verdict.py robustness_lines, core/viz/robustness.py)
    "verdict.robust.line": {"en": "{method}{where}: {parts}.", "ja": "{method}{where}：{parts}。"},
    "verdict.robust.beat": {"en": "beat {ref} at {rates}", "ja": "{rates}で{ref}を上回った"},
    "verdict.robust.lost": {"en": "was worse than {ref} at {rates}", "ja": "{rates}で{ref}を下回った"},
    "verdict.robust.tie": {"en": "tied with {ref} at {rates}", "ja": "{rates}で{ref}と差がなかった"},
    "verdict.robust.one_seed": {
        "en": "one seed only at {rates} (run more seeds to tell)",
        "ja": "{rates}はシードが1つだけ（判断にはシードを増やしてください）",
    },
    "verdict.robust.join": {"en": "{head} and {last}", "ja": "{head}と{last}"},
    "verdict.robust.comma": {"en": ", ", "ja": "、"},
    "compare.robustness": {
        "en": "Robustness: accuracy as the labels get worse",
        "ja": "頑健性：ラベルが悪くなるにつれての精度",
    },
    "compare.robustness_verdict": {"en": "Verdict per noise rate", "ja": "ノイズ率ごとの結論"},
    "chart.robustness": {
        "en": "Test accuracy vs noise rate (mean ± std over seeds)",
        "ja": "ノイズ率に対するテスト精度（シード平均 ± 標準偏差）",
    },
    "axis.noise_rate": {"en": "noise rate", "ja": "ノイズ率"},
    "legend.final": {"en": "final", "ja": "最終"},
    "legend.best": {"en": "best", "ja": "最高"},
    "col.noise_rate": {"en": "noise rate", "ja": "ノイズ率"},
    # Set up: a grid over noise settings and where to train (dashboard/components/grid_picker.py)
    "setup.summary_grid": {
        "en": "{runs} runs: {methods} × {seeds} seeds × {settings} noise settings, {epochs} epochs each.",
        "ja": "{runs} ラン：{methods} × {seeds} シード × {settings} ノイズ設定、各 {epochs} エポック。",
    },
    "setup.grid": {
        "en": "Compare several noise settings (a robustness curve)",
        "ja": "複数のノイズ設定を比較する（頑健性曲線）",
    },
    "setup.grid_help": {
        "en": "Trains every method and seed at each chosen noise rate and kind, to see which method holds up as the labels get worse.",
        "ja": "選んだ各ノイズ率・種類で全手法・全シードを学習し、ラベルが悪くなるにつれてどの手法が持ちこたえるかを見ます。",
    },
    "setup.grid_rates": {"en": "Noise rates", "ja": "ノイズ率"},
    "setup.grid_kinds": {"en": "Noise kinds", "ja": "ノイズの種類"},
    "setup.grid_empty": {
        "en": "Choose at least one noise rate and one noise kind.",
        "ja": "ノイズ率とノイズの種類をそれぞれ1つ以上選んでください。",
    },
    "setup.backend": {"en": "Where to train", "ja": "学習する場所"},
    "setup.backend.local": {"en": "This machine", "ja": "このマシン"},
    "setup.backend.ray": {"en": "Ray cluster", "ja": "Ray クラスタ"},
    "setup.backend_help.ray": {
        "en": "address: empty starts a private Ray on this machine (no Ray dashboard), 'auto' joins this machine's cluster, ray://host:10001 a remote head. gpus_per_run: fractions (e.g. 0.25) let several small runs share one GPU.",
        "ja": "address：空欄ならこのマシンに専用の Ray を起動（Ray のダッシュボードなし）、'auto' はこのマシンのクラスタ、ray://host:10001 はリモートのヘッドに接続します。gpus_per_run：0.25 などの小数にすると小さなランが1つの GPU を共有します。",
    },
    "verdict.need_two": {
        "en": "The verdict needs at least two methods with a finished run.",
        "ja": "結論には、完了したランのある手法が2つ以上必要です。",
    },
    # --- dashboard: diagnostics, samples ---
    "diag.title": {"en": "Diagnostics", "ja": "診断"},
    "diag.intro": {
        "en": "What each method does inside the model, one view per probe. Pick a run (and optionally a second one to set beside it) and an epoch.",
        "ja": "各手法がモデルの内部で何をしているかを、プローブごとに1つのビューで示します。ランを選び（比較用に2つ目も選べます）、エポックを選んでください。",
    },
    "diag.run_a": {"en": "Run", "ja": "ラン"},
    "diag.run_b": {"en": "Compare with", "ja": "比較するラン"},
    "diag.side_by_side": {"en": "Set a second run beside it", "ja": "2つ目のランを並べて表示"},
    "diag.epoch": {"en": "Epoch", "ja": "エポック"},
    "diag.follow": {"en": "Follow the latest epoch", "ja": "最新エポックを追跡"},
    "diag.live": {"en": "Training: following epoch {epoch} live", "ja": "学習中: エポック {epoch} をライブ表示"},
    "diag.no_epochs": {
        "en": "This run has no recorded probe epochs yet.",
        "ja": "このランにはまだ記録されたプローブのエポックがありません。",
    },
    "diag.missing": {
        "en": "Not recorded for this run (the probe did not run or wrote no arrays).",
        "ja": "このランには記録がありません（プローブが実行されていないか、配列が書き出されていません）。",
    },
    "diag.no_truth": {
        "en": "Hidden: this run uses real labels with no ground truth, so clean and flipped samples cannot be told apart.",
        "ja": "非表示: このランは正解ラベルのない実ラベルを使うため、クリーンなサンプルと反転したサンプルを区別できません。",
    },
    "diag.no_rlp": {
        "en": "No random-label head accuracy recorded: add the 'rlp' monitor to the runs.",
        "ja": "ランダムラベルヘッド精度の記録がありません。ランに 'rlp' モニターを追加してください。",
    },
    "diag.v.gram": {"en": "Label averaging (eigenstructure)", "ja": "ラベル平均化（固有構造）"},
    "diag.v.rlp": {"en": "Random-label head accuracy", "ja": "ランダムラベルヘッド精度"},
    "diag.v.smoothing": {"en": "Per-instance smoothing", "ja": "インスタンスごとの平滑化"},
    "diag.v.layer_divergence": {"en": "Layer divergence", "ja": "層間ダイバージェンス"},
    "diag.v.embedding": {"en": "Embedding map", "ja": "埋め込みマップ"},
    "diag.v.method_scalars": {"en": "The method's own measurements", "ja": "手法自身の測定値"},
    "diag.cap.gram": {
        "en": "Eigenvalues of the feature Gram matrix and how much each self-distillation round keeps of each direction.\nStrong directions (classes) survive; weak ones (sample-specific, such as flipped labels) shrink away, which is why distillation can fix flipped labels.",
        "ja": "特徴グラム行列の固有値と、自己蒸留の各ラウンドが各方向をどれだけ残すか。\n強い方向（クラス）は残り、弱い方向（反転ラベルなどサンプル固有の成分）は縮むため、蒸留で反転ラベルを直せます。",
    },
    "diag.cap.rlp": {
        "en": "Side heads try to learn random labels from the model's features; their accuracy above chance measures memorization.\nA method that memorizes less keeps these curves nearer the dashed chance line.",
        "ja": "補助ヘッドがモデルの特徴からランダムラベルを学習し、そのチャンス超えの精度が記憶の量を示します。\n記憶の少ない手法ほど曲線は破線のチャンスラインに近くとどまります。",
    },
    "diag.cap.smoothing": {
        "en": "How soft each sample's target or prediction is, split into samples whose label is clean and those whose label was flipped.\nWell-separated histograms (AUROC far from 0.5) mean the value singles out wrong labels.",
        "ja": "各サンプルのターゲットまたは予測がどれだけ柔らかいかを、ラベルがクリーンなものと反転したものに分けて示します。\nヒストグラムがよく分かれる（AUROC が 0.5 から遠い）ほど、この値で誤ラベルを見分けられます。",
    },
    "diag.cap.layer_divergence": {
        "en": "Divergence between the structure of the penultimate layer and of the output (CLID), per epoch, next to test accuracy.\nWhen the model starts fitting noisy labels the divergence tends to rise as test accuracy falls.",
        "ja": "最終層直前の層と出力層の構造の食い違い（CLID）をエポックごとにテスト精度と並べて示します。\nモデルがノイズラベルに適合し始めると、テスト精度の低下とともにダイバージェンスが上がる傾向があります。",
    },
    "diag.cap.embedding": {
        "en": "The probe samples' penultimate features in 2-D (PCA, or UMAP on request), coloured by observed label.\nCrosses are samples whose label was flipped: inside the right cluster means the model ignored the wrong label.",
        "ja": "プローブサンプルの最終層直前の特徴を2次元に写したもの（PCA、または要求に応じて UMAP）。色は観測ラベル。\n× は反転ラベルのサンプルで、正しいクラスタ内にあればモデルが誤ラベルを無視したことを意味します。",
    },
    "diag.cap.method_scalars": {
        "en": "The quantities this method logs about itself every epoch, as it declares them.\nA curve that settles means that part of the method has stopped changing.",
        "ja": "この手法がエポックごとに自身について記録する量（手法の宣言どおり）。\n曲線が落ち着けば、手法のその部分が変化しなくなったことを示します。",
    },
    "diag.map": {"en": "Map", "ja": "マップ"},
    "diag.umap_button": {"en": "Compute UMAP", "ja": "UMAP を計算"},
    "diag.umap_running": {
        "en": "Computing UMAP in the background (other pages stay usable)...",
        "ja": "バックグラウンドで UMAP を計算中（他のページは使えます）...",
    },
    "diag.umap_failed": {"en": "UMAP failed: {error}", "ja": "UMAP に失敗しました: {error}"},
    "diag.umap_unavailable": {
        "en": "UMAP is not available for this run.",
        "ja": "このランでは UMAP を利用できません。",
    },
    "diag.first_look": {"en": "first look after epoch {epoch}", "ja": "エポック {epoch} の後に最初の表示"},
    "live.probe_run.help": {
        "en": "The first choice follows the run that is training; pick a run to stay on it.",
        "ja": "最初の選択肢は学習中のランを自動で追います。ランを選ぶとそのランに留まります。",
    },
    "live.follow_training": {"en": "the run training now: {run}", "ja": "学習中のラン: {run}"},
    "diag.compact": {"en": "Diagnostics at epoch {epoch}", "ja": "エポック {epoch} の診断"},
    "chart.gram_spectrum": {
        "en": "Gram spectrum and shrink factor per round",
        "ja": "グラム固有値スペクトルとラウンドごとの縮小率",
    },
    "chart.gram_rounds": {"en": "Predicted accuracy per distillation round", "ja": "蒸留ラウンドごとの予測精度"},
    "chart.rlp_heads": {"en": "Random-label head accuracy", "ja": "ランダムラベルヘッド精度"},
    "chart.smoothing_hist.auroc": {
        "en": "Per-instance {name}: clean vs flipped (AUROC {auroc})",
        "ja": "インスタンスごとの {name}: クリーン vs 反転（AUROC {auroc}）",
    },
    "chart.smoothing_hist": {"en": "Per-instance {name}", "ja": "インスタンスごとの {name}"},
    "chart.layer_divergence": {"en": "Layer divergence and test accuracy", "ja": "層間ダイバージェンスとテスト精度"},
    "chart.embedding": {"en": "Embedding map ({map})", "ja": "埋め込みマップ（{map}）"},
    "chart.method_scalars": {"en": "{method}: its own measurements", "ja": "{method}：手法自身の測定値"},
    "chart.transition_matrices": {
        "en": "Noise transition matrix: estimated vs injected",
        "ja": "ノイズ遷移行列: 推定 vs 注入",
    },
    "chart.transition_estimated": {
        "en": "Noise transition matrix estimated from your labels",
        "ja": "ラベルから推定したノイズ遷移行列",
    },
    "chart.sample_topk": {
        "en": "Top-{k} out-of-sample probabilities (cleanlab)",
        "ja": "交差検証による予測確率の上位 {k}（cleanlab）",
    },
    "chart.sample_history": {"en": "Suspicion score over epochs", "ja": "エポックごとの疑わしさスコア"},
    "chart.no_data": {"en": "no data recorded", "ja": "記録されたデータがありません"},
    "axis.eigen_index": {"en": "eigen-direction (largest first)", "ja": "固有方向（大きい順）"},
    "axis.eigenvalue": {"en": "eigenvalue σ", "ja": "固有値 σ"},
    "axis.shrink": {"en": "kept share", "ja": "残存率"},
    "axis.round": {"en": "distillation round (0 = teacher)", "ja": "蒸留ラウンド（0 = 教師）"},
    "axis.count": {"en": "samples", "ja": "サンプル数"},
    "axis.divergence": {"en": "divergence", "ja": "ダイバージェンス"},
    "axis.value": {"en": "value", "ja": "値"},
    "axis.pc1": {"en": "component 1", "ja": "成分 1"},
    "axis.pc2": {"en": "component 2", "ja": "成分 2"},
    "axis.observed": {"en": "observed label", "ja": "観測ラベル"},
    "axis.true": {"en": "true label", "ja": "真のラベル"},
    "axis.class": {"en": "class", "ja": "クラス"},
    "axis.probability": {"en": "probability", "ja": "確率"},
    "axis.score": {"en": "score", "ja": "スコア"},
    "legend.clean": {"en": "clean", "ja": "クリーン"},
    "legend.flipped": {"en": "flipped", "ja": "反転"},
    "legend.all": {"en": "all samples", "ja": "全サンプル"},
    "legend.chance": {"en": "chance", "ja": "チャンス"},
    "legend.spectrum": {"en": "eigenvalue σ", "ja": "固有値 σ"},
    "legend.round": {"en": "kept after round {n}", "ja": "ラウンド {n} 後の残存率"},
    "legend.test_acc": {"en": "test accuracy", "ja": "テスト精度"},
    "legend.estimated": {"en": "estimated (cleanlab)", "ja": "推定（cleanlab）"},
    "legend.injected": {"en": "injected", "ja": "注入"},
    "legend.label": {"en": "label {name}", "ja": "ラベル {name}"},
    "samples.title": {"en": "Samples", "ja": "サンプル"},
    "samples.intro": {
        "en": "The samples the noise detector finds most suspicious, with what the model predicts for them. Pick one to see its card.",
        "ja": "ノイズ検出器が最も疑わしいと判断したサンプルと、モデルの予測です。1つ選ぶと詳細カードが表示されます。",
    },
    "samples.run": {"en": "Run", "ja": "ラン"},
    "samples.top_n": {"en": "How many", "ja": "表示件数"},
    "samples.no_detection": {
        "en": "This run has no noise-detection results yet (the probe writes them at its cadence).",
        "ja": "このランにはまだノイズ検出の結果がありません（プローブが所定の間隔で書き出します）。",
    },
    "samples.col.rank": {"en": "rank", "ja": "順位"},
    "samples.col.index": {"en": "sample", "ja": "サンプル"},
    "samples.col.image": {"en": "image", "ja": "画像"},
    "samples.col.observed": {"en": "observed", "ja": "観測ラベル"},
    "samples.col.predicted": {"en": "predicted", "ja": "予測ラベル"},
    "samples.col.score": {"en": "score", "ja": "スコア"},
    "samples.col.flipped": {"en": "flipped", "ja": "反転"},
    "samples.list_caption": {
        "en": "Ranked by suspicion score (epoch {epoch}); a high score means the observed label is likely wrong.",
        "ja": "疑わしさスコア順（エポック {epoch}）。スコアが高いほど観測ラベルが誤っている可能性が高いです。",
    },
    "samples.pick": {"en": "Sample", "ja": "サンプル"},
    "samples.source": {
        "en": "Scores: log-odds that the observed label is wrong, from {source}.",
        "ja": "スコア：観測ラベルが誤っている対数オッズ。出所：{source}。",
    },
    "detect.source.inputs": {
        "en": "a cross-validated classifier on the raw inputs (it never saw these samples' labels, so it stays out of sample when the model memorizes)",
        "ja": "生の入力で交差検証した分類器（これらのサンプルのラベルを学習に使っていないため、モデルが丸暗記しても標本外のまま）",
    },
    "detect.source.features": {
        "en": "a cross-validated classifier on the model's penultimate features (trained on these labels: it goes blind once the model memorizes)",
        "ja": "モデルの最終隠れ層の特徴で交差検証した分類器（特徴はこれらのラベルで学習済み：モデルが丸暗記すると見逃す）",
    },
    "compare.auroc_source": {
        "en": "Noise-detection AUROC: how well {source} ranks the flipped labels first (1 = perfectly).",
        "ja": "ノイズ検出 AUROC：{source}が反転ラベルをどれだけ上位に並べるか（1 = 完全）。",
    },
    "samples.card": {"en": "Sample {index}", "ja": "サンプル {index}"},
    "samples.observed_predicted": {
        "en": "Observed label **{obs}**, predicted **{pred}**, score {score}",
        "ja": "観測ラベル **{obs}**、予測 **{pred}**、スコア {score}",
    },
    "samples.flipped_yes": {
        "en": "Its label was flipped (true label {true}).",
        "ja": "このラベルは反転されています（真のラベル {true}）。",
    },
    "samples.flipped_no": {"en": "Its label is clean.", "ja": "このラベルはクリーンです。"},
    "samples.flipped_unknown": {
        "en": "Unknown whether its label is wrong: the run has no ground truth.",
        "ja": "正解がないため、このラベルが誤りかどうかは不明です。",
    },
    "samples.per_sample": {
        "en": "Per-instance values (epoch {epoch})",
        "ja": "インスタンスごとの値（エポック {epoch}）",
    },
    "samples.no_per_sample": {
        "en": "The method recorded no per-instance values for this sample.",
        "ja": "この手法はこのサンプルのインスタンスごとの値を記録していません。",
    },
    "samples.no_probs": {
        "en": "No predicted probabilities recorded for this sample.",
        "ja": "このサンプルの予測確率は記録されていません。",
    },
    "samples.transition": {"en": "Noise transition matrices", "ja": "ノイズ遷移行列"},
    "samples.transition_caption": {
        "en": "Row = true class, column = observed label. Left: what cleanlab estimates from the model's predictions; right: the noise that was injected.",
        "ja": "行 = 真のクラス、列 = 観測ラベル。左: モデルの予測から cleanlab が推定した行列、右: 実際に注入したノイズ。",
    },
    "samples.transition_real": {"en": "How the labels seem to be wrong (estimated)", "ja": "ラベルの誤り方（推定）"},
    "samples.transition_caption_real": {
        "en": "Row = likely true class, column = your label: what cleanlab estimates from the model's predictions (nothing was injected).",
        "ja": "行 = 推定される真のクラス、列 = 付けられたラベル。モデルの予測から cleanlab が推定したものです（ノイズは注入していません）。",
    },
    "samples.no_injected": {
        "en": "No injected matrix: the labels are real (nothing was injected).",
        "ja": "注入行列はありません: ラベルは実ラベルです（何も注入していません）。",
    },
    # --- bring your own data ---
    "upload.file": {
        "en": "Your data file (CSV, Parquet, NPZ or a ZIP of image folders)",
        "ja": "データファイル（CSV・Parquet・NPZ、または画像フォルダの ZIP）",
    },
    "upload.file.help": {
        "en": "CSV/Parquet: feature columns plus a label column. NPZ: arrays X and y (optionally y_clean). ZIP: one sub-folder per class. Up to {limit} MB.",
        "ja": "CSV/Parquet: 特徴量の列とラベル列。NPZ: 配列 X と y（任意で y_clean）。ZIP: クラスごとに 1 つのサブフォルダ。上限 {limit} MB。",
    },
    "upload.none": {"en": "(none)", "ja": "（なし）"},
    "upload.opt.label_column": {"en": "Label column", "ja": "ラベル列"},
    "upload.opt.label_column.help": {
        "en": "The labels to train on, as your team gave them.",
        "ja": "学習に使うラベル（チームが付けたとおり）。",
    },
    "upload.opt.clean_label_column": {"en": "Clean-label column (optional)", "ja": "正解ラベル列（任意）"},
    "upload.opt.clean_label_column.help": {
        "en": "Verified labels, used only to evaluate: with them the views that need true labels come back.",
        "ja": "検証済みのラベル。評価にのみ使います。指定すると真のラベルが必要な表示が使えるようになります。",
    },
    "upload.opt.id_column": {"en": "Id column (optional)", "ja": "ID 列（任意）"},
    "upload.opt.id_column.help": {"en": "Left out of the features.", "ja": "特徴量から除外します。"},
    "upload.opt.image_size": {"en": "Image size (pixels)", "ja": "画像サイズ（ピクセル）"},
    "upload.opt.image_size.help": {
        "en": "Every image is resized to this square size.",
        "ja": "すべての画像をこの正方形サイズにリサイズします。",
    },
    "upload.opt.text_column": {"en": "Text column (optional)", "ja": "テキスト列（任意）"},
    "upload.opt.text_column.help": {
        "en": "Free text (tickets, reviews, headlines) whose embedding becomes the features. (none): a single column of long strings is found by itself.",
        "ja": "自由記述のテキスト（問い合わせ、レビュー、見出しなど）。その埋め込みが特徴量になります。（なし）：長い文字列の列が一つだけなら自動で選ばれます。",
    },
    "upload.opt.text_encoder": {"en": "Text encoder", "ja": "テキストエンコーダ"},
    "upload.opt.text_encoder.help": {
        "en": "tfidf: offline, word and character n-grams reduced by SVD. hf:<model id or folder>: a Hugging Face encoder, e.g. hf:sentence-transformers/all-MiniLM-L6-v2 (its weights must be cached or downloadable).",
        "ja": "tfidf：オフライン、単語と文字の n-gram を SVD で圧縮。hf:<モデル ID またはフォルダ>：Hugging Face のエンコーダ（例 hf:sentence-transformers/all-MiniLM-L6-v2、重みがキャッシュ済みかダウンロード可能であること）。",
    },
    "upload.opt.grayscale": {"en": "Convert to grayscale", "ja": "グレースケールに変換"},
    "upload.opt.grayscale.help": {
        "en": "Off: keep what the images are (grey stays grey, colour stays colour).",
        "ja": "オフ: 画像のまま（グレーはグレー、カラーはカラー）。",
    },
    "kind.image": {"en": "image", "ja": "画像"},
    "kind.tabular": {"en": "table", "ja": "表形式"},
    "kind.embedding": {"en": "embedding", "ja": "埋め込み"},
    "kind.text": {"en": "text", "ja": "テキスト"},
    "upload.accepted": {
        "en": "File accepted: {n} samples, {k} classes, input shape {shape} ({kind}).",
        "ja": "ファイルを受け付けました: {n} サンプル、{k} クラス、入力形状 {shape}（{kind}）。",
    },
    "upload.truth_known": {
        "en": "Clean labels given: accuracy against the true labels and noise detection will be shown.",
        "ja": "正解ラベルあり: 真のラベルに対する精度とノイズ検出を表示します。",
    },
    "upload.truth_hidden": {
        "en": "No clean labels: views that need true labels will be hidden (the labels may themselves be noisy).",
        "ja": "正解ラベルなし: 真のラベルが必要な表示は非表示になります（ラベル自体にノイズがありうるため）。",
    },
    "upload.text_found": {
        "en": "Text column '{column}': its embedding ({encoder}) is the features.",
        "ja": "テキスト列「{column}」：その埋め込み（{encoder}）を特徴量にします。",
    },
    "samples.col.text": {"en": "text", "ja": "テキスト"},
    "samples.text": {"en": "Text", "ja": "テキスト"},
    "upload.class": {"en": "class", "ja": "クラス"},
    "upload.count": {"en": "samples", "ja": "サンプル数"},
    # --- export ---
    "export.noise_none": {"en": "labels as given (no injected noise)", "ja": "ラベルはそのまま（ノイズ注入なし）"},
    "export.noise_value": {"en": "{kind} noise {pct}%", "ja": "{kind} ノイズ {pct}%"},
    "export.noise_grid": {"en": "{kind} noise at {pcts}%", "ja": "{kind} ノイズ {pcts}%"},
    "export.setting_line": {
        "en": "{dataset} · {noise} · seeds {seeds} · {epochs} epochs",
        "ja": "{dataset} ・ {noise} ・ シード {seeds} ・ {epochs} エポック",
    },
    "export.kind.suite": {"en": "comparison", "ja": "比較"},
    "export.kind.run": {"en": "run", "ja": "実行"},
    "export.no_data": {"en": "no data recorded for this chart", "ja": "このグラフのデータは記録されていません"},
    "export.deck.title.suite": {"en": "Which label treatment works best?", "ja": "どのラベル処理が最も効果的か"},
    "export.deck.title.run": {"en": "Training run report", "ja": "学習実行レポート"},
    "export.deck.subtitle": {"en": "{dataset} · {noise}", "ja": "{dataset} ・ {noise}"},
    "export.fact.dataset": {"en": "Dataset", "ja": "データセット"},
    "export.fact.noise": {"en": "Noise setting", "ja": "ノイズ設定"},
    "export.fact.methods": {"en": "Methods", "ja": "手法"},
    "export.fact.seeds": {"en": "Seeds", "ja": "シード"},
    "export.fact.training": {"en": "Training", "ja": "学習"},
    "export.fact.training_value": {
        "en": "{model} model, {epochs} epochs per run",
        "ja": "{model} モデル、各 {epochs} エポック",
    },
    "export.fact.date": {"en": "Date", "ja": "日付"},
    "export.fact.date_value": {"en": "{date} (trained {trained})", "ja": "{date}（学習日 {trained}）"},
    "export.fact.id.suite": {"en": "Comparison id", "ja": "比較 ID"},
    "export.fact.id.run": {"en": "Run id", "ja": "実行 ID"},
    "export.table.title": {"en": "Summary: mean ± std over seeds", "ja": "結果のまとめ（シード平均 ± 標準偏差）"},
    "export.table.note": {
        "en": "Accuracy and AUROC: higher is better. Memorized share and random-label accuracy: lower means less memorization of wrong labels.",
        "ja": "精度と AUROC は高いほど良い。記憶率とランダムラベル精度は低いほど誤ったラベルの記憶が少ない。",
    },
    "export.col.method": {"en": "Method", "ja": "手法"},
    "export.col.runs": {"en": "Runs", "ja": "完了数"},
    "export.col.cost_vs_ce": {"en": "Cost vs {base}", "ja": "{base} 比コスト"},
    "export.takeaways.title": {"en": "Takeaways", "ja": "まとめ"},
    "export.takeaways.run": {
        "en": "{method} (seed {seed}) reached a final test accuracy of {acc}.",
        "ja": "{method}（シード {seed}）の最終テスト精度は {acc} でした。",
    },
    "export.takeaways.unfinished": {
        "en": "{n} of {total} runs did not finish; their numbers are left out.",
        "ja": "{total} 件中 {n} 件の実行が完了していないため、その数値は除外しています。",
    },
    "export.footer": {"en": "labelscope · {id} · {date}", "ja": "labelscope ・ {id} ・ {date}"},
    "export.panel.title": {"en": "Export", "ja": "エクスポート"},
    "export.panel.format": {"en": "Format", "ja": "形式"},
    "export.panel.charts": {"en": "Charts", "ja": "グラフ"},
    "export.panel.make": {"en": "Export charts", "ja": "グラフを書き出す"},
    "export.panel.pack": {"en": "Meeting pack (PowerPoint + PDF)", "ja": "会議用資料（PowerPoint + PDF）"},
    "export.panel.download": {"en": "Download {name}", "ja": "{name} をダウンロード"},
    "export.panel.ready": {"en": "Ready in {secs:.1f} s.", "ja": "{secs:.1f} 秒で作成しました。"},
    "export.panel.skipped": {"en": "Left out: {ids}", "ja": "除外: {ids}"},
    "export.panel.no_charts": {"en": "Choose at least one chart.", "ja": "グラフを 1 つ以上選んでください。"},
    "export.panel.toolbar_hint": {
        "en": "The camera icon on each chart also downloads a high-resolution PNG.",
        "ja": "各グラフのカメラアイコンからも高解像度 PNG をダウンロードできます。",
    },
    "export.fmt.png": {"en": "PNG image (2× resolution)", "ja": "PNG 画像（2 倍解像度）"},
    "export.fmt.svg": {"en": "SVG (vector)", "ja": "SVG（ベクター）"},
    "export.fmt.pdf": {"en": "PDF (one per chart)", "ja": "PDF（グラフごと）"},
    "export.fmt.html": {"en": "Interactive HTML (works offline)", "ja": "インタラクティブ HTML（オフライン可）"},
    "export.fmt.csv": {"en": "CSV (the chart's data)", "ja": "CSV（グラフのデータ）"},
    "export.fmt.pptx": {"en": "PowerPoint deck", "ja": "PowerPoint 資料"},
    "export.fmt.pack": {"en": "Meeting pack (PowerPoint + PDF)", "ja": "会議用資料（PowerPoint + PDF）"},
    # --- damaged or refused run data (one bad file never hides the others) ---
    "live.state.unreadable": {"en": "unreadable", "ja": "読み取り不可"},
    "run.unreadable": {
        "en": "Run {run} cannot be shown: {error}. The other runs are shown as usual.",
        "ja": "実行 {run} は表示できません: {error}。ほかの実行は通常どおり表示しています。",
    },
    "picker.refused": {
        "en": "This comparison names {n} run id(s) outside the runs folder; they are ignored: {ids}",
        "ja": "この比較は実行フォルダの外を指す実行 ID を {n} 件含むため、無視しました: {ids}",
    },
    "artifact.unreadable": {
        "en": "This epoch's data is unreadable ({path}); showing epoch {epoch}, the nearest readable one.",
        "ja": "このエポックのデータは読み取れません（{path}）。読み取れる最も近いエポック {epoch} を表示しています。",
    },
    "artifact.none_readable": {
        "en": "This run's recorded data is unreadable ({path}).",
        "ja": "この実行の記録データは読み取れません（{path}）。",
    },
    "chart.curves.fewer_seeds": {
        "en": "{name}: mean over the seeds present at each epoch ({n} of {total} after epoch {epoch})",
        "ja": "{name}: 各エポックで記録のあるシードの平均（エポック {epoch} 以降は {total} 件中 {n} 件）",
    },
}


def plugin_help(kind: str, name: str, english: str, lang: str = "en", japanese: str = "") -> str:
    """A plug-in's one-line help in `lang`: its own `help` / `help_ja` (declared next to its code), else a
    `help.<kind>.<name>` entry of this table, else the English."""
    if lang == "ja" and japanese:
        return japanese
    entry = TEXT.get(f"help.{kind}.{name}", {})
    return entry.get(lang) or english or ""


def words(prefix: str, value: str, lang: str, fallback: str) -> str:
    """The text of `prefix.value` in `lang`, or `fallback` where the table has no such entry (a plug-in, kind or
    chart without words of its own)."""
    return t(f"{prefix}.{value}", lang) if f"{prefix}.{value}" in TEXT else fallback


def t(key: str, lang: str = "en", **fmt) -> str:
    """Translated text for `key` (falls back to English, then to the key itself)."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    s = entry.get(lang) or entry.get("en") or key
    return s.format(**fmt) if fmt else s
