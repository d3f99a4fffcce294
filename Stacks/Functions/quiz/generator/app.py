"""QuizCraft question generator: consumes question requests from SQS and stores new questions.

Reports partial batch failures, so one bad message does not send the whole batch back. The AI
service's API key is read from Secrets Manager (AI_API_KEY_SECRET_ARN) once per container.
"""
import json
import os
import uuid

import boto3

dynamodb = boto3.resource("dynamodb")
questions = dynamodb.Table(os.environ["QUESTIONS_TABLE"])
_api_key = None


def api_key():
    """The AI service's key, from the secret the stack grants this function."""
    global _api_key
    if _api_key is None:
        secrets = boto3.client("secretsmanager")
        _api_key = secrets.get_secret_value(SecretId=os.environ["AI_API_KEY_SECRET_ARN"])["SecretString"]
    return _api_key


def generate(keywords, key):
    """The heavy work: the real service sends the keywords to the AI API with `key`; a placeholder here."""
    topic = ", ".join(keywords)
    return {"prompt": f"A question about {topic}", "choices": ["A", "B", "C", "D"], "solution": "A"}


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            request = json.loads(record["body"])
            question = generate(request["keywords"], api_key())
            questions.put_item(Item={"GameId": request["gameId"], "QuestionId": str(uuid.uuid4()), **question})
        except Exception:  # noqa: BLE001 - report the message as failed and keep going
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
